/**
 * A leak audit anyone can run against any URL: `auditPrivacy({ url, script, allowedHosts })`
 * drives the page in headless Chromium through a scripted visit and reports every destination
 * the page, its workers and its service workers contacted.
 *
 * How it sees everything, not only what the page's events admit to:
 * - Chromium sends all its traffic, loopback included (`--proxy-bypass-list=<-loopback>`),
 *   through a recording proxy started here: HTTP, WebSocket upgrades, beacons, and HTTPS as
 *   CONNECT tunnels, from the page, workers and service workers alike. The proxy's log is the
 *   host table (requests, bytes sent, bytes received). It forwards to loopback servers and to
 *   the stand-in, and refuses everything else (this machine has no internet anyway).
 * - A stand-in external server on 127.0.0.1 answers as `external.test`; hits are counted
 *   there, where they arrive: a `sendBeacon` that returned true or a request event is no proof.
 * - CDP: the `Network` domain on the page and on every worker and service-worker target
 *   (`Target.setAutoAttach`), so each destination is also attributed to a target type.
 * - WebRTC: UDP does not go through a proxy, so it is forced through it
 *   (`disable_non_proxied_udp`) and every `RTCPeerConnection` the page makes is recorded.
 * - CSP violations: `securitypolicyviolation` events in the page, and the reports
 *   (`application/csp-report`) that the proxy sees from the page and its workers.
 */
import { createServer, request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { chromium } from 'playwright-core';

/** The stand-in external server's host name; the proxy sends it to 127.0.0.1. */
export const STAND_IN_HOST = 'external.test';

/**
 * Chromium's own services (sign-in, updates, autofill, safe browsing). Chromium calls them by
 * itself, whatever the page does; a row for one of them is the browser's, not the page's,
 * unless CDP saw the page or one of its workers ask for that host.
 */
const BROWSER_SERVICES = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com)(:\d+)?$/;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** A server on 127.0.0.1 that counts what reaches it: requests, WebSocket upgrades, and their bytes. */
export async function startStandIn() {
  const hits = [];
  const server = createServer((req, res) => {
    let bytes = headerBytes(req);
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      hits.push({
        method: req.method,
        path: req.url,
        kind: req.headers['content-type']?.includes('ping') ? 'beacon' : 'http',
        bytes,
      });
      res
        .writeHead(200, {
          'Access-Control-Allow-Origin': '*',
          'Content-Type': 'text/plain',
        })
        .end('stand-in');
    });
  });
  server.on('upgrade', (req, socket) => {
    hits.push({
      method: req.method,
      path: req.url,
      kind: 'websocket',
      bytes: headerBytes(req),
    });
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hits,
    port: server.address().port,
    get url() {
      return `http://${STAND_IN_HOST}:${server.address().port}`;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const headerBytes = (req) => Buffer.byteLength(`${req.method} ${req.url} HTTP/1.1\r\n`) + req.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0);

/**
 * A forward proxy that logs each destination (`host:port`) with request counts and bytes,
 * forwards to loopback servers and the stand-in, and refuses the rest with 502.
 */
async function startProxy(standIn) {
  const log = new Map();
  const cspReports = [];
  const proxyErrors = [];
  const entry = (host) => {
    if (!log.has(host))
      log.set(host, {
        host,
        requests: 0,
        bytesSent: 0,
        bytesReceived: 0,
        kinds: new Set(),
      });
    return log.get(host);
  };
  const target = (hostname, port) => {
    if (hostname === STAND_IN_HOST) return { host: '127.0.0.1', port: standIn.port };
    if (LOOPBACK.has(hostname)) return { host: hostname.replace(/^\[|\]$/g, ''), port };
    return null;
  };

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    let url;
    try {
      url = new URL(req.url);
    } catch {
      return void res.writeHead(400).end();
    }
    const host = url.host;
    const row = entry(host);
    row.requests++;
    row.kinds.add('http');
    row.bytesSent += headerBytes(req);
    const body = [];
    req.on('data', (chunk) => {
      row.bytesSent += chunk.length;
      body.push(chunk);
    });
    const to = target(url.hostname, Number(url.port || 80));
    if (/csp-report|reports\+json/.test(req.headers['content-type'] ?? '')) {
      req.on('end', () => {
        try {
          const report = JSON.parse(Buffer.concat(body).toString('utf8'));
          for (const one of [report].flat()) cspReports.push(one['csp-report'] ?? one.body ?? one);
        } catch {
          cspReports.push({ unparsed: true });
        }
      });
    }
    if (!to) {
      req.resume();
      return void res.writeHead(502, { 'Content-Type': 'text/plain' }).end('refused by the privacy audit');
    }
    const upstream = httpRequest(
      {
        host: to.host,
        port: to.port,
        method: req.method,
        path: url.pathname + url.search,
        headers: withoutProxyHeaders(req.headers),
        // A fresh connection each time: a pooled one the server has just closed would fail the request (a 502 the page sees).
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk) => (row.bytesReceived += chunk.length));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      proxyErrors.push(`${req.method} ${req.url}: ${error.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  // WebSockets over plain HTTP: the upgrade is forwarded, and both directions counted.
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const row = entry(url.host);
    row.requests++;
    row.kinds.add('websocket');
    row.bytesSent += headerBytes(req);
    const to = target(url.hostname, Number(url.port || 80));
    if (!to) return void socket.destroy();
    const upstream = netConnect(to.port, to.host, () => {
      upstream.write(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n${rawHeaders(req)}\r\n`);
      upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    socket.on('data', (chunk) => (row.bytesSent += chunk.length));
    upstream.on('data', (chunk) => (row.bytesReceived += chunk.length));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });

  // CONNECT: HTTPS, and WebSockets (Chromium tunnels ws:// through an HTTP proxy too). A tunnel
  // to loopback or to the stand-in is opened and counted both ways; any other is logged and refused.
  server.on('connect', (req, socket, head) => {
    const row = entry(req.url);
    row.requests++;
    row.kinds.add('tunnel');
    row.bytesSent += headerBytes(req) + head.length;
    const [hostname, port] = splitHostPort(req.url);
    const to = target(hostname, port);
    if (!to) return void socket.end('HTTP/1.1 502 Refused by the privacy audit\r\n\r\n');
    const upstream = netConnect(to.port, to.host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    socket.on('data', (chunk) => (row.bytesSent += chunk.length));
    upstream.on('data', (chunk) => (row.bytesReceived += chunk.length));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });

  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    log,
    cspReports,
    proxyErrors,
    port: server.address().port,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const withoutProxyHeaders = (headers) => Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('proxy-')));

function splitHostPort(authority) {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
  return match ? [match[1], Number(match[2])] : [authority, 443];
}

function rawHeaders(req) {
  let text = '';
  for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return text;
}

/**
 * CDP's view: `Network` on the page and, through `Target.setAutoAttach`, on each worker and
 * service worker it starts (the non-flat protocol, so one session carries them all).
 */
async function watchTargets(context, page, seen) {
  const cdp = await context.newCDPSession(page);
  const byId = new Map();
  const record = (targetType, url, requestId) => {
    if (!/^(https?|wss?):/.test(url)) return;
    const item = { target: targetType, url, blocked: false };
    seen.push(item);
    byId.set(`${targetType}:${requestId}`, item);
  };
  const listen = (targetType, method, params) => {
    if (method === 'Network.requestWillBeSent') record(targetType, params.request.url, params.requestId);
    else if (method === 'Network.webSocketCreated') record(targetType, params.url, params.requestId);
    // Blocked in the browser (CSP, mixed content, COEP): it never left, and the policy's report says so.
    else if (method === 'Network.loadingFailed' && params.blockedReason) {
      const item = byId.get(`${targetType}:${params.requestId}`);
      if (item) item.blocked = params.blockedReason;
    }
  };
  let next = 1;
  const attach = (sessionId, targetType) => {
    for (const method of ['Network.enable', 'Runtime.runIfWaitingForDebugger']) {
      void cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id: next++, method, params: {} }),
        })
        .catch(() => undefined);
    }
    void cdp
      .send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({
          id: next++,
          method: 'Target.setAutoAttach',
          params: {
            autoAttach: true,
            waitForDebuggerOnStart: false,
            flatten: false,
          },
        }),
      })
      .catch(() => undefined);
    return targetType;
  };
  const sessions = new Map();
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => sessions.set(sessionId, attach(sessionId, targetInfo.type)));
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const { method, params } = JSON.parse(message);
    if (!method) return;
    // A worker's own workers: nested sessions arrive as messages of their parent.
    if (method === 'Target.attachedToTarget') sessions.set(params.sessionId, params.targetInfo.type);
    else if (method === 'Target.receivedMessageFromTarget') {
      const inner = JSON.parse(params.message);
      if (inner.method) listen(sessions.get(params.sessionId) ?? 'worker', inner.method, inner.params);
    } else listen(sessions.get(sessionId) ?? 'worker', method, params);
  });
  cdp.on('Network.requestWillBeSent', (params) => listen('page', 'Network.requestWillBeSent', params));
  cdp.on('Network.webSocketCreated', (params) => listen('page', 'Network.webSocketCreated', params));
  cdp.on('Network.loadingFailed', (params) => listen('page', 'Network.loadingFailed', params));
  await cdp.send('Network.enable');
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });
  return cdp;
}

/** Runs in the page before its own scripts: records RTCPeerConnections and CSP violations. */
function instrumentPage() {
  const Original = globalThis.RTCPeerConnection;
  if (Original) {
    globalThis.RTCPeerConnection = class extends Original {
      constructor(config, ...rest) {
        super(config, ...rest);
        void globalThis.__privacyAudit?.({
          type: 'webrtc',
          iceServers: JSON.stringify(config?.iceServers ?? []),
        });
      }
    };
  }
  addEventListener('securitypolicyviolation', (event) => {
    void globalThis.__privacyAudit?.({
      type: 'csp',
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      source: event.sourceFile,
    });
  });
}

/**
 * Drives `url` through `script` and reports where the page sent anything.
 *
 * @param {object} options
 * @param {string} options.url The page to audit.
 * @param {(visit: { page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, origin: string, standInUrl: string, standInHits: () => object[] }) => Promise<void>} [options.script]
 *   The scripted visit (default: load the page and wait a second).
 * @param {string[]} [options.allowedHosts] Origins (or `host:port`) besides the page's own that may be contacted, e.g. the model host.
 * @param {string[]} [options.launchArgs] Extra Chromium flags (a fake microphone, WebGPU).
 * @param {string} [options.executablePath] Chromium; default `$CHROMIUM_PATH` or `/usr/bin/chromium`.
 * @param {number} [options.timeoutMs] Playwright's default timeout for each action and wait of the script; default 120 s.
 * @param {number} [options.settleMs] How long to wait after the script for late requests (beacons on unload, retries); default 1500.
 * @returns {Promise<PrivacyReport>}
 */
export async function auditPrivacy({ url, script, allowedHosts = [], launchArgs = [], executablePath, settleMs = 1500, timeoutMs = 120_000 }) {
  const standIn = await startStandIn();
  const proxy = await startProxy(standIn);
  const browser = await chromium.launch({
    executablePath: executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-domain-reliability',
      '--disable-client-side-phishing-detection',
      '--disable-default-apps',
      '--no-pings',
      '--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate,CertificateTransparencyComponentUpdater',
      `--proxy-server=http://127.0.0.1:${proxy.port}`,
      // Loopback through the proxy as well: the page's own origin is counted like any other.
      '--proxy-bypass-list=<-loopback>',
      '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
      `--host-resolver-rules=MAP ${STAND_IN_HOST} 127.0.0.1`,
      ...launchArgs,
    ],
  });
  const origin = new URL(url).origin;
  const pageEvents = [];
  const cdpSeen = [];
  const errors = [];
  const consoleErrors = [];
  try {
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    await context.exposeBinding('__privacyAudit', (_source, event) => void pageEvents.push(event));
    await context.addInitScript(instrumentPage);
    // Generous: on a loaded machine the demo's hundred-odd modules take a while, and the proxy's
    // verdict does not depend on how long anything took.
    context.setDefaultTimeout(timeoutMs);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await watchTargets(context, page, cdpSeen);
    const visit = script ?? (async ({ page: p }) => void (await p.goto(url)));
    try {
      await visit({ page, context, origin, standInUrl: standIn.url, standInHits: () => [...standIn.hits] });
    } catch (error) {
      // The table of what was contacted until then is still the audit's answer; the failure is part of it.
      errors.push(`the scripted visit failed: ${error?.message ?? error}`);
    }
    await page.waitForTimeout(settleMs);
    await context.close();
  } finally {
    await browser.close();
    await proxy.close();
    await standIn.close();
  }

  const allowed = new Set([new URL(url).host, ...allowedHosts.flatMap((h) => (/^[a-z]+:\/\//.test(h) ? [new URL(h).host, hostOf(h)] : [h]))]);
  const askedByPage = new Set(cdpSeen.map((s) => hostOf(s.url)));
  const hosts = [...proxy.log.values()].map((row) => {
    const browser = BROWSER_SERVICES.test(row.host) && !askedByPage.has(row.host) && !askedByPage.has(row.host.replace(/:443$/, ''));
    return {
      ...row,
      kinds: [...row.kinds],
      allowed: allowed.has(row.host) || browser,
      browser,
    };
  });
  // Every destination CDP saw must be in the proxy's log too; one that is not went around it.
  const logged = new Set(hosts.map((h) => h.host));
  const unproxied = [
    ...new Set(
      cdpSeen
        .filter((s) => !s.blocked)
        .map((s) => hostOf(s.url))
        .filter((h) => h && !logged.has(h)),
    ),
  ];
  for (const host of unproxied)
    hosts.push({
      host,
      requests: 0,
      bytesSent: 0,
      bytesReceived: 0,
      kinds: ['cdp-only'],
      allowed: allowed.has(host),
      browser: false,
    });
  const webrtc = pageEvents.filter((e) => e.type === 'webrtc');
  const violations = [
    ...pageEvents.filter((e) => e.type === 'csp'),
    ...proxy.cspReports.map((r) => ({
      type: 'csp-report',
      directive: r['effective-directive'] ?? r.effectiveDirective,
      blockedURI: r['blocked-uri'] ?? r.blockedURL,
      source: r['source-file'] ?? r.sourceFile,
    })),
  ];
  const foreign = hosts.filter((h) => !h.allowed);
  return {
    url,
    hosts: hosts.sort((a, b) => Number(a.allowed) - Number(b.allowed) || b.requests - a.requests),
    standIn: {
      hits: standIn.hits.length,
      bytes: standIn.hits.reduce((n, h) => n + h.bytes, 0),
      requests: standIn.hits,
    },
    targets: countBy(cdpSeen.map((s) => `${s.target} → ${hostOf(s.url)}`)),
    webrtc,
    violations,
    errors,
    consoleErrors,
    proxyErrors: proxy.proxyErrors,
    ok: errors.length === 0 && foreign.length === 0 && webrtc.length === 0 && standIn.hits.length === 0,
  };
}

/**
 * @typedef {object} PrivacyReport
 * @property {string} url
 * @property {Array<{ host: string, requests: number, bytesSent: number, bytesReceived: number, kinds: string[], allowed: boolean, browser: boolean }>} hosts
 *   Each destination; `browser`: Chromium's own service traffic, which no page or worker asked for (allowed).
 * @property {{ hits: number, bytes: number, requests: object[] }} standIn What reached the stand-in external server.
 * @property {Record<string, number>} targets Requests CDP saw, by target type (page, worker, service_worker) and host.
 * @property {object[]} webrtc Each RTCPeerConnection the page made.
 * @property {object[]} violations CSP violations (events in the page, reports from page and workers).
 * @property {string[]} errors Uncaught page errors, and the scripted visit's failure.
 * @property {string[]} proxyErrors Requests to an allowed server that the proxy could not forward (the page saw a 502).
 * @property {string[]} consoleErrors The page's console errors (for diagnosis: they do not fail the audit).
 * @property {boolean} ok The visit ran, no page error, no destination but the allowed ones, no stand-in hit, no WebRTC.
 */

const hostOf = (url) => {
  try {
    const u = new URL(url);
    return /^(https|wss):$/.test(u.protocol) && !u.port ? `${u.hostname}:443` : u.host;
  } catch {
    return null;
  }
};

const countBy = (items) => items.reduce((counts, item) => ({ ...counts, [item]: (counts[item] ?? 0) + 1 }), {});

/** The report as a table: host, requests, bytes sent and received, allowed or not. */
export function formatReport(report) {
  const rows = [['host', 'requests', 'sent', 'received', 'via', 'verdict']];
  for (const h of report.hosts)
    rows.push([
      h.host,
      String(h.requests),
      String(h.bytesSent),
      String(h.bytesReceived),
      h.kinds.join('+'),
      h.browser ? "Chromium's own" : h.allowed ? 'allowed' : 'FOREIGN',
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push(
    `stand-in ${STAND_IN_HOST}: ${report.standIn.hits} hit(s), ${report.standIn.bytes} bytes; WebRTC connections: ${report.webrtc.length}; CSP violations: ${report.violations.filter((v) => v.type === 'csp').length} in the page, ${report.violations.filter((v) => v.type === 'csp-report').length} reported (page and workers)`,
  );
  lines.push(
    `seen by CDP: ${
      Object.entries(report.targets)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ') || 'nothing'
    }`,
  );
  return lines.join('\n');
}
