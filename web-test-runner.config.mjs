import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { summaryReporter } from './tools/test/summary-reporter.mjs';
import { faultsPlugin, faultsReporter } from './tools/test/faults-reporter.mjs';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { fileURLToPath } from 'node:url';
import { sourceUrls } from './tools/dev-server/source-urls.mjs';
import { createModelHost } from './tools/dev-server/model-host.mjs';
import { modelHostCommands } from './tools/dev-server/model-host-commands.mjs';
import { fhirValidatorCommand } from './tools/dev-server/fhir-validator-command.mjs';
import { commonjsPackages } from './tools/dev-server/commonjs-packages.mjs';
import { createOpenAiStandIn } from './tools/dev-server/openai-stand-in.mjs';
import { screenshotCommand } from './tools/dev-server/screenshot-command.mjs';
import { serviceWorkerCommand } from './tools/dev-server/service-worker-command.mjs';
import { serviceWorkerBundles } from './tools/dev-server/service-worker-bundles.mjs';

const modelHost = createModelHost({ root: fileURLToPath(new URL('./test/fixtures/models', import.meta.url)) });
await modelHost.listen();
// A stand-in for a clinic's OpenAI-compatible server, for `llm-endpoint` (see test/engine/remote-llm.test.ts).
const openAiStandIn = createOpenAiStandIn();
await openAiStandIn.listen();
/** @type {Map<import('playwright').Page, string[]>} */
const browserRequests = new Map();
const microphone = (file) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${fileURLToPath(new URL(`./test/fixtures/audio/${file}`, import.meta.url))}%noloop`,
];
const only = (pattern) => (process.env.TEST_FILES ? process.env.TEST_FILES.split(',') : [pattern]);

// Chromium's own background traffic is refused by this machine's closed network; these
// flags keep it quiet so the privacy tests see only what the page asks for.
const quiet = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const chromium = (extraArgs) =>
  playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...quiet, ...extraArgs] },
    // Every request a test page or its workers make is logged, per page (each has its own
    // context), for the privacy tests. Groups run side by side, so the logs must not mix.
    createPage: async ({ context }) => {
      const page = await context.newPage();
      const log = [];
      browserRequests.set(page, log);
      context.on('request', (request) => log.push(request.url()));
      page.on('close', () => browserRequests.delete(page));
      return page;
    },
  });

export default {
  rootDir: '.',
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [commonjsPackages(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }), modelHostCommands(modelHost, browserRequests), fhirValidatorCommand(), openAiStandIn.plugin(), screenshotCommand(), serviceWorkerCommand(), faultsPlugin()],
  middleware: [serviceWorkerBundles(), sourceUrls()],
  testFramework: { config: { timeout: 90_000 } },
  testsFinishTimeout: 20 * 60_000,
  browserStartTimeout: 120_000,
  concurrency: 1,
  // One browser at a time: groups share the model host (and its injected faults), and timing
  // tests with the fake microphone need the two cores to themselves.
  concurrentBrowsers: 1,
  reporters: [defaultReporter(), summaryReporter(), faultsReporter()],
  // TEST_FILES='test/engine/x.test.ts' runs just those files (in the group their name puts them in).
  groups: [
    // Without --enable-unsafe-webgpu, navigator.gpu exists but grants no adapter: the no-WebGPU path.
    { name: 'no-webgpu', files: [...only('test/**/*.test.ts'), '!test/**/*.webgpu.test.ts', '!test/**/*.mic.test.ts'], browsers: [chromium([])] },
    // SwiftShader WebGPU: about ten times slower than WASM here, so these tests use the smallest inputs.
    { name: 'webgpu', files: only('test/**/*.webgpu.test.ts'), browsers: [chromium(['--enable-unsafe-webgpu'])] },
    // Chromium's fake microphone plays a synthesised dictation with known pauses, once.
    { name: 'microphone', files: [...only('test/**/*.mic.test.ts'), '!test/**/*-onset.mic.test.ts'], browsers: [chromium(microphone('dictation.wav'))] },
    // The first word 50 ms into the file: whatever capture drops before its worklet runs cuts into it.
    { name: 'microphone-onset', files: [...only('test/**/*-onset.mic.test.ts'), '!test/**/!(*-onset).mic.test.ts'], browsers: [chromium(microphone('onset.wav'))] },
  ],
};
