// The API reference (docs/api.md) and the editor data for VS Code (html-custom-data.json)
// come from custom-elements.json, so they describe the elements exactly as the manifest does.
// `node tools/docs/generate-docs.mjs` writes both; with `--check` it writes nothing and exits 1
// when a committed file differs from what it would write (CI runs it after the manifest check).
import { getVsCodeHtmlCustomData } from 'custom-element-vs-code-integration';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = 'custom-elements.json';
const OUTPUTS = { html: 'html-custom-data.json', api: 'docs/api.md' };
// The browser calls these; they are not API a page uses.
const LIFECYCLE = new Set(['connectedCallback', 'disconnectedCallback', 'adoptedCallback', 'attributeChangedCallback', 'formAssociatedCallback', 'formDisabledCallback', 'formResetCallback', 'formStateRestoreCallback']);

const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const elements = manifest.modules
  .flatMap((module) => (module.declarations ?? []).filter((d) => d.customElement && d.tagName).map((declaration) => ({ module, declaration })))
  .sort((a, b) => a.declaration.tagName.localeCompare(b.declaration.tagName));

const aliases = literalAliases();

const files = {
  [OUTPUTS.html]: htmlCustomData(),
  [OUTPUTS.api]: apiReference(),
};

if (process.argv.includes('--check')) {
  for (const [path, content] of Object.entries(files)) {
    const committed = existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null;
    if (committed !== content) {
      console.error(`${path} is ${committed === null ? 'missing' : 'out of date'}: run \`node tools/docs/generate-docs.mjs\` and commit the result.`);
      if (committed !== null) console.error(firstDifferentLine(committed, content));
      process.exit(1);
    }
  }
  console.log(`${Object.keys(files).join(' and ')} are up to date.`);
} else {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}

/**
 * VS Code's HTML custom data (https://github.com/microsoft/vscode-custom-data), version 1.1.
 * The generator writes each tag's description (with its events, methods, parts and custom
 * properties); the attribute values are redone here, because it offers type names as values
 * (`template` would suggest "NoteTemplate"): only string literals of the type are offered, and
 * boolean attributes are marked as taking no value.
 */
function htmlCustomData() {
  const data = JSON.parse(getVsCodeHtmlCustomData(manifest, { descriptionSrc: 'description', hideLogs: true }));
  const byTag = new Map(elements.map(({ declaration }) => [declaration.tagName, declaration]));
  for (const tag of data.tags) {
    const attributes = new Map((byTag.get(tag.name).attributes ?? []).map((a) => [a.name, a]));
    for (const attribute of tag.attributes) {
      const type = attributes.get(attribute.name)?.type?.text ?? '';
      const literals = stringLiterals(type);
      delete attribute.values;
      if (literals.length) attribute.values = literals.map((name) => ({ name }));
      if (type === 'boolean') attribute.valueSet = 'v';
    }
    if (!tag.references?.length) delete tag.references;
  }
  data.tags.sort((a, b) => a.name.localeCompare(b.name));
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The string literals a type allows, through aliases such as `DevicePreference` = `'auto' | 'webgpu' | 'wasm'`. */
function stringLiterals(type) {
  return type.split('|').flatMap((part) => {
    const token = part.trim();
    const literal = /^'([^']*)'$|^"([^"]*)"$/.exec(token);
    if (literal) return [literal[1] ?? literal[2]];
    return aliases.has(token) ? stringLiterals(aliases.get(token)) : [];
  });
}

/** `export type X = 'a' | 'b';` declarations in src/. */
function literalAliases() {
  const found = new Map();
  for (const file of readdirSync(join(root, 'src'), { recursive: true })) {
    if (!String(file).endsWith('.ts')) continue;
    const source = readFileSync(join(root, 'src', String(file)), 'utf8');
    for (const [, name, union] of source.matchAll(/^export type (\w+) = ((?:'[^'\n]*'|"[^"\n]*")(?:\s*\|\s*(?:'[^'\n]*'|"[^"\n]*"))*);$/gm)) found.set(name, union);
  }
  return found;
}

function apiReference() {
  const lines = [
    '# API reference',
    '',
    `<!-- Generated from ${MANIFEST} by tools/docs/generate-docs.mjs. Edit the JSDoc in src/elements/, then regenerate the manifest and this file. -->`,
    '',
    ...elements.map(({ declaration }) => `- [\`<${declaration.tagName}>\`](#${declaration.tagName}): ${oneLine(declaration.summary ?? '')}`),
  ];
  for (const { module, declaration } of elements) lines.push('', ...elementReference(module, declaration));
  return `${lines.join('\n')}\n`;
}

function elementReference(module, element) {
  const tag = element.tagName;
  const members = (element.members ?? []).filter((m) => !m.static && !m.privacy && !LIFECYCLE.has(m.name));
  const attributes = element.attributes ?? [];
  const withAttribute = new Set(attributes.map((a) => a.fieldName).filter(Boolean));
  const fields = members.filter((m) => m.kind === 'field' && !withAttribute.has(m.name));
  const methods = members.filter((m) => m.kind === 'method');
  const fieldsByName = new Map(members.filter((m) => m.kind === 'field').map((m) => [m.name, m]));
  const detailTypes = eventDetailTypes(module.path);
  const entry = packageEntry(module.path);

  const out = [`## \`<${tag}>\``, ''];
  if (element.summary) out.push(`**${oneLine(element.summary)}**`, '');
  if (element.description) out.push(paragraphs(element.description), '');
  out.push(entry ? `\`import 'slm-elements/${entry}';\` (class \`${element.name}\`)` : `Class \`${element.name}\`, in \`${module.path}\`.`, '');

  section(out, 'Attributes', ['Attribute', 'Property', 'Type', 'Default', 'Description'], attributes, (a) => {
    const field = fieldsByName.get(a.fieldName);
    const description = [text(a.description ?? field?.description), field?.reflects ? 'Reflected.' : ''].filter(Boolean).join(' ');
    return [code(a.name), a.fieldName ? code(a.fieldName) : '', code(a.type?.text), code(a.default), description];
  });
  section(out, 'Properties', ['Property', 'Type', 'Default', 'Description'], fields, (f) => [
    code(f.name),
    code(f.type?.text),
    f.readonly ? 'read-only' : code(f.default),
    text(f.description),
  ]);
  section(out, 'Methods', ['Method', 'Returns', 'Description'], methods, (m) => [code(signature(m)), code(m.return?.type?.text ?? 'void'), text(m.description)]);
  section(out, 'Events', ['Event', 'Detail', 'Description'], element.events ?? [], (e) => [code(e.name), code(eventDetail(e, detailTypes)), text(e.description)]);
  section(out, 'Slots', ['Slot', 'Description'], element.slots ?? [], (s) => [s.name ? code(s.name) : '(default)', text(s.description)]);
  section(out, 'CSS parts', ['Part', 'Description'], element.cssParts ?? [], (p) => [code(p.name), text(p.description)]);
  section(out, 'CSS custom properties', ['Property', 'Default', 'Description'], element.cssProperties ?? [], (p) => [code(p.name), code(p.default), text(p.description)]);
  while (out.at(-1) === '') out.pop();
  return out;
}

function section(out, title, headings, rows, cells) {
  if (!rows.length) return;
  out.push(`### ${title}`, '', `| ${headings.join(' | ')} |`, `|${headings.map(() => '---').join('|')}|`);
  for (const row of rows) out.push(`| ${cells(row).join(' | ')} |`);
  out.push('');
}

function signature(method) {
  const parameters = (method.parameters ?? []).map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional || p.default !== undefined ? '?' : ''}${p.type?.text ? `: ${p.type.text}` : ''}`);
  return `${method.name}(${parameters.join(', ')})`;
}

/**
 * An event's `detail` type. The manifest has it when `@fires` names a `CustomEvent<…>`;
 * otherwise it comes from the `HTMLElementEventMap` entries of the element's module or of the
 * modules it imports (where the events are typed for `addEventListener`).
 */
function eventDetail(event, detailTypes) {
  const fromManifest = /^CustomEvent<(.+)>$/s.exec(event.type?.text ?? '');
  return fromManifest ? fromManifest[1] : (detailTypes.get(event.name) ?? '');
}

function eventDetailTypes(modulePath) {
  const types = new Map();
  const read = (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '');
  const source = read(modulePath);
  const imported = [...source.matchAll(/^import\s+(?:[^'"]+from\s+)?'(\.[^']+)\.js';/gm)].map((m) => relative(root, join(root, dirname(modulePath), `${m[1]}.ts`)));
  for (const path of [modulePath, ...imported]) {
    for (const [, name, detail] of read(path).matchAll(/^\s*'([\w-]+)': CustomEvent<(.+)>;$/gm)) if (!types.has(name)) types.set(name, detail);
  }
  return types;
}

/** The package export that loads the element, e.g. `slm-note.js` for `src/elements/slm-note/slm-note.ts`. */
function packageEntry(modulePath) {
  const built = `./${modulePath.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js')}`;
  const [key] = Object.entries(packageJson.exports ?? {}).find(([, target]) => (typeof target === 'string' ? target : target.default) === built) ?? [];
  return key?.replace(/^\.\//, '');
}

function code(value) {
  return value === undefined || value === null || value === '' ? '' : `\`${oneLine(String(value)).replaceAll('|', '\\|')}\``;
}

function text(value) {
  return oneLine(value ?? '').replaceAll('|', '\\|');
}

function oneLine(value) {
  return value.replace(/\s*\n\s*/g, ' ').trim();
}

/** JSDoc wraps lines; Markdown paragraphs are separated by blank lines, which are kept. */
function paragraphs(value) {
  return value
    .split(/\n\s*\n/)
    .map((p) => oneLine(p))
    .join('\n\n');
}

function firstDifferentLine(committed, fresh) {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(a[at] ?? '(end of file)').slice(0, 200)}, regenerated ${JSON.stringify(b[at] ?? '(end of file)').slice(0, 200)}`;
}
