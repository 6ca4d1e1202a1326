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
    console.error(firstDifference(JSON.parse(committed), JSON.parse(fresh)));
    process.exit(1);
  }
  console.log('custom-elements.json is up to date.');
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** Names where the two manifests part, so a CI log says what changed without a local rerun. */
function firstDifference(a, b, path = '$') {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `first difference at ${path}: committed ${JSON.stringify(a)?.slice(0, 200)}, regenerated ${JSON.stringify(b)?.slice(0, 200)}`;
}
