export default {
  globs: ['src/elements/*/slm-*.ts'],
  exclude: ['src/**/*.styles.ts'],
  litelement: true,
  packagejson: true,
};
