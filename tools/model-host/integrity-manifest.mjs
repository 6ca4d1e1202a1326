// `npm run integrity:manifest -- <model folder>`: writes `slm-integrity.json` into a model's folder
// on a self-hosted model host (the folder that `{host}/{org}/{name}/resolve/main/` serves), with
// every file's SHA-256 (Subresource Integrity form) and size. The engine then refuses any file
// that does not match (`model-integrity`); see the README's "Downloads, damaged files and
// integrity pins". Run it again whenever the model's files change.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const MANIFEST = 'slm-integrity.json';
const root = process.argv[2];
if (!root || !statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('Usage: npm run integrity:manifest -- <model folder>');
  process.exit(2);
}

const paths = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    // statSync follows links: a mirror may link shared files between repos.
    if (statSync(path).isDirectory()) walk(path);
    else if (name !== MANIFEST && !name.startsWith('.')) paths.push(path);
  }
};
walk(root);

const sha256 = (path) =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('end', () => resolve(`sha256-${hash.digest('base64')}`)).on('error', reject);
  });

const files = {};
for (const path of paths) files[relative(root, path).split(sep).join('/')] = { integrity: await sha256(path), size: statSync(path).size };
writeFileSync(join(root, MANIFEST), `${JSON.stringify({ files }, null, 2)}\n`);
console.log(`${join(root, MANIFEST)}: ${paths.length} files pinned.`);
