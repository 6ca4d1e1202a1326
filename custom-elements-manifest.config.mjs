export default {
  globs: ['src/elements/*/slm-*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/elements/internal/**'],
  litelement: true,
  // package.json names the manifest itself; the analyzer would rewrite the field to its outdir.
  packagejson: false,
  plugins: [
    {
      // The analyzer lists modules in the order the file system returns them, which differs
      // between machines; sorting keeps the committed manifest identical everywhere.
      name: 'slm-sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      },
    },
  ],
};
