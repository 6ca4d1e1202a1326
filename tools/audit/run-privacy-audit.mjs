#!/usr/bin/env node
/**
 * `npm run audit:privacy`: the privacy audit of the demo, in three runs.
 *  1. Self-check: a page with no policy sends a beacon, a fetch, an image, a WebSocket and a
 *     worker's fetch to the stand-in; the audit must count them at the stand-in and fail.
 *  2. CSP: the demo page, under the dev server's policy, tries the same; nothing may reach
 *     the stand-in, and each attempt must be a CSP violation.
 *  3. The React example (the documented one) under the same policy: no violation, no page error.
 *  4. The visit: the demo with the test models (load, dictate through the fake microphone,
 *     note, chat, export, reload): only the page's origin (which serves the test models) and
 *     the configured model host may be contacted, with no CSP violation and no page error.
 *  5. `llm-endpoint`: the clinic app with its language model on an OpenAI-compatible server (the
 *     stand-in of tools/dev-server/openai-stand-in.mjs on another origin). Configured, that host
 *     is allowed and a chat question reaches it; the same page audited without it configured
 *     fails, with the host in the table as foreign.
 * Prints a table per run; exits 1 if any expectation fails.
 *
 * Any other page: `node tools/audit/run-privacy-audit.mjs --url https://example.org/app
 * [--allow https://models.example.org]…` loads it, waits, and fails on any other destination.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { auditPrivacy, formatReport, STAND_IN_HOST } from './privacy-audit.mjs';
import { demoVisit, fakeMicrophone, injectLeaks } from './demo-visit.mjs';
import { createOpenAiStandIn } from '../dev-server/openai-stand-in.mjs';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    url: { type: 'string' },
    allow: { type: 'string', multiple: true, default: [] },
    'model-host': { type: 'string' },
  },
});

/** What the self-check's page sends the stand-in (see `injectLeaks`), by path. */
const SELF_CHECK_KINDS = ['beacon', 'fetch', 'image', 'socket', 'worker', 'url-worker', 'service-worker'];

const failures = [];
const expect = (ok, message) => {
  console.log(`${ok ? '  ok' : '  FAIL'}  ${message}`);
  if (!ok) failures.push(message);
};
const show = (title, report) => {
  console.log(`\n${title}\n${formatReport(report)}`);
  for (const v of report.violations) console.log(`  csp: ${v.directive} blocked ${v.blockedURI} (${v.source ?? 'no source'})`);
  for (const e of report.errors) console.log(`  error: ${e}`);
  for (const e of report.proxyErrors) console.log(`  proxy: ${e}`);
  for (const e of report.consoleErrors.slice(0, 10)) console.log(`  console: ${e.slice(0, 300)}`);
};

if (values.url) {
  const report = await auditPrivacy({
    url: values.url,
    allowedHosts: values.allow,
  });
  show(`Privacy audit of ${values.url}`, report);
  process.exit(report.ok ? 0 : 1);
}

// The demo's test models come from its own origin (/models); a model host elsewhere is allowed too.
const modelHost = values['model-host'] ?? null;
process.env.SLM_MODEL_HOSTS = modelHost ?? '';
const started = performance.now();
const [{ startDevServer }, { default: config }] = await Promise.all([import('@web/dev-server'), import('../../web-dev-server.config.mjs')]);
const server = await startDevServer({
  config: { ...config, port: 0, watch: false, open: false },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const origin = `http://localhost:${server.server.address().port}`;
const allowedHosts = [...(modelHost ? [modelHost] : []), ...values.allow];
// A page with no policy at all, for the self-check.
const leakWorker = readFileSync(new URL('./leak.worker.js', import.meta.url));
const leakServiceWorker = readFileSync(new URL('./leak.sw.js', import.meta.url));
const bare = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const script = { '/tools/audit/leak.worker.js': leakWorker, '/tools/audit/leak.sw.js': leakServiceWorker }[path];
  if (script) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>self-check</title><p>no policy');
});
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));

const run = (name) => !values.only || values.only === name;
try {
  if (run('self-check')) {
    const self = await auditPrivacy({
      url: `http://127.0.0.1:${bare.address().port}/`,
      script: async (visit) => {
        await visit.page.goto(visit.origin);
        await injectLeaks(visit);
        // Until every attempt has arrived (the service worker's comes after its install), or 30 s.
        const arrived = () => SELF_CHECK_KINDS.every((kind) => visit.standInHits().some((hit) => hit.path === `/${kind}`));
        for (let waited = 0; !arrived() && waited < 30_000; waited += 250) await visit.page.waitForTimeout(250);
      },
    });
    show('1. Self-check: leaks from a page with no policy', self);
    const kinds = new Set(self.standIn.requests.map((r) => r.path.slice(1)));
    expect(!self.ok, 'the audit fails when the page leaks');
    expect(
      SELF_CHECK_KINDS.every((k) => kinds.has(k)),
      `the stand-in counted a beacon, a fetch, an image, a WebSocket, two workers' and a service worker's fetches (${[...kinds].join(', ')})`,
    );
    expect(
      self.hosts.some((h) => h.host.startsWith(STAND_IN_HOST) && !h.allowed),
      `${STAND_IN_HOST} is in the table as foreign`,
    );
  }

  if (run('csp')) {
    // The headers themselves: the page's and a model worker's, as the dev server sends them.
    const policyOf = async (path, dest) =>
      (await fetch(`${origin}${path}`, { headers: { 'Sec-Fetch-Dest': dest } })).headers.get('content-security-policy') ?? '';
    const directives = (policy) =>
      Object.fromEntries(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...sources]) => [name, sources]),
      );
    const allowedConnect = ["'self'", ...allowedHosts.map((h) => new URL(h).origin)];
    for (const [path, dest] of [
      ['/demo/', 'document'],
      ['/src/engine/workers/transformers.worker.js', 'worker'],
      ['/src/audio/workers/speech-stream.worker.js', 'worker'],
    ]) {
      const policy = await policyOf(path, dest);
      const d = directives(policy);
      console.log(`  ${path}: ${policy}`);
      expect(policy !== '' && !/unsafe-inline|'unsafe-eval'/.test(policy), `${path} has a policy, without 'unsafe-inline' or 'unsafe-eval'`);
      expect(
        d['default-src']?.join(' ') === "'none'" && (d['connect-src'] ?? []).every((source) => allowedConnect.includes(source)),
        `${path}: default-src 'none', connect-src ${d['connect-src']?.join(' ')}`,
      );
      expect(
        dest === 'worker' ? d['script-src']?.includes("'wasm-unsafe-eval'") : !d['script-src']?.includes("'wasm-unsafe-eval'"),
        `${path}: 'wasm-unsafe-eval' in workers only`,
      );
    }

    const csp = await auditPrivacy({
      url: `${origin}/demo/`,
      script: async (visit) => {
        await visit.page.goto(`${origin}/demo/`);
        await visit.page.locator('slm-visits').evaluate((visits) => visits.ready);
        await injectLeaks(visit);
      },
    });
    show('2. CSP: the same leaks from the demo', csp);
    expect(csp.standIn.hits === 0, `nothing reached the stand-in (${csp.standIn.hits} hits)`);
    const blocked = new Set(csp.violations.filter((v) => String(v.blockedURI).includes(STAND_IN_HOST) || v.blockedURI === 'blob').map((v) => v.directive));
    expect(blocked.has('connect-src') && blocked.has('img-src'), `each attempt was a CSP violation (${[...blocked].join(', ')})`);
    expect(
      csp.violations.some((v) => v.type === 'csp-report' && String(v.blockedURI).endsWith('/url-worker') && String(v.source).includes('leak.worker')),
      "the worker's own policy blocked its fetch (reported from leak.worker.js)",
    );
    expect(csp.ok, 'no destination but the page');
  }

  if (run('example')) {
    // The documented example: the React panel, under the same policy, with no violation.
    const example = await auditPrivacy({
      url: `${origin}/examples/react/`,
      allowedHosts,
      script: async ({ page }) => {
        await page.goto(`${origin}/examples/react/`);
        await page.locator('slm-chat textarea').waitFor();
        await page.locator('slm-chat textarea').fill('Add to plan: rest');
        await page.locator('slm-chat textarea').press('Enter');
        await page.waitForFunction(() => document.querySelector('slm-note').note.sections.some((s) => s.items.some((i) => i.text === 'rest')));
      },
    });
    show('3. The React example under the policy', example);
    expect(example.ok, `only ${origin} contacted, no page error`);
    expect(example.violations.length === 0, `no CSP violation (${example.violations.length})`);
  }

  if (run('visit')) {
    const visit = await auditPrivacy({
      url: `${origin}/demo/`,
      script: demoVisit,
      allowedHosts,
      launchArgs: fakeMicrophone(),
    });
    show('4. The demo visit: load, dictate, note, chat, export, reload', visit);
    expect(visit.ok, `only ${[origin, ...allowedHosts].join(' and ')} contacted`);
    expect(
      visit.hosts.some((h) => h.allowed && h.requests > 0),
      'the audit saw the visit (requests to the page)',
    );
    expect(visit.violations.length === 0, `no CSP violation (${visit.violations.length})`);
    expect(visit.errors.length === 0, `no page error (${visit.errors.length})`);
  }

  if (run('endpoint')) {
    const server = createOpenAiStandIn();
    await server.listen();
    const endpoint = server.url;
    const endpointHost = new URL(endpoint).host;
    // The dev server's CSP reads this on every request: the page may now connect to the server.
    process.env.SLM_LLM_ENDPOINT = endpoint;
    try {
      const url = `${origin}/demo/?models=test&llm=clinic-llm&llm-endpoint=${encodeURIComponent(endpoint)}&db=audit-endpoint`;
      const askTheServer = async ({ page }) => {
        page.setDefaultTimeout(120_000);
        await page.goto(url);
        // Only the language model: the speech model adds nothing to what this run checks.
        await page.locator('slm-scribe').evaluate((scribe) => scribe.provider.engine.load(['llm']));
        const chat = page.locator('slm-chat textarea');
        await chat.fill('What does a temperature of 38.4 mean?');
        await chat.press('Enter');
        await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('slm-scribe').session.chat.at(-1)?.status));
      };
      const configured = await auditPrivacy({ url, script: askTheServer, allowedHosts: [...allowedHosts, endpoint] });
      show(`5. The clinic app with llm-endpoint=${endpoint}`, configured);
      const asked = server.requests.filter((r) => r.path === '/v1/chat/completions');
      expect(configured.ok, `only ${[origin, ...allowedHosts, endpoint].join(' and ')} contacted`);
      expect(configured.hosts.some((h) => h.host === endpointHost && h.allowed && h.requests > 0), `${endpointHost} (configured) is in the table as allowed`);
      expect(asked.length === 1 && JSON.stringify(asked[0].body).includes('38.4'), `the chat question reached the configured server (${asked.length} completion requests)`);
      expect(configured.violations.length === 0, `no CSP violation (${configured.violations.length})`);

      const unconfigured = await auditPrivacy({ url, script: askTheServer, allowedHosts });
      show(`5b. The same page, audited as if llm-endpoint were not configured`, unconfigured);
      expect(!unconfigured.ok && unconfigured.hosts.some((h) => h.host === endpointHost && !h.allowed), `${endpointHost} is foreign when not configured, and the audit fails`);
    } finally {
      delete process.env.SLM_LLM_ENDPOINT;
      await server.close();
    }
  }
} catch (error) {
  failures.push(String(error?.stack ?? error));
  console.error(error);
} finally {
  await server.stop();
  bare.close();
}
console.log(`\nprivacy audit: ${failures.length ? `${failures.length} failure(s)` : 'passed'} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failures.length ? 1 : 0);
