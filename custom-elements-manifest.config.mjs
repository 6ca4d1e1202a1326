export default {
  globs: ['src/elements/*/slm-*.ts'],
  exclude: ['src/**/*.styles.ts'],
  litelement: true,
  // package.json names the manifest itself; the analyzer would rewrite the field to its outdir.
  packagejson: false,
};
