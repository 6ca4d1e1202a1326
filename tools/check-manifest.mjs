// custom-elements.json feeds the docs, Storybook and editors; it must describe the source
// as it is. This regenerates it into a temporary folder and compares with the committed file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

// The analyzer resolves --outdir against the working directory, so the scratch folder lives
// inside the project (and is ignored by git).
const out = mkdtempSync(join(process.cwd(), '.cem-check-'));
try {
  execFileSync('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(process.cwd(), out)], { stdio: 'pipe' });
  const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (JSON.stringify(JSON.parse(fresh)) !== JSON.stringify(JSON.parse(committed))) {
    console.error('custom-elements.json is out of date: run `npm run manifest` and commit the result.');
    process.exit(1);
  }
  console.log('custom-elements.json is up to date.');
} finally {
  rmSync(out, { recursive: true, force: true });
}
