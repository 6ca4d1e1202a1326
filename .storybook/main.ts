import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Storybook 9 with its Vite framework, which compiles the TypeScript sources and bundles
 * the engine's `new Worker(new URL('./x.worker.js', import.meta.url))` workers by itself.
 * The @web/storybook-builder route, which would share the dev server's esbuild plugin and
 * `sourceUrls()`, cannot be installed here: the newest published
 * @web/storybook-framework-web-components (0.2.1) targets Storybook 8.6, and
 * @web/storybook-builder 1.0 (the Storybook 9 one) needs Node 22.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  // The Docs tab (Storybook 9 moved it out of the core into this addon).
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  viteFinal: async (viteConfig) => ({
    ...viteConfig,
    // The engine's workers are ES modules that import lazily, which Vite bundles only as ES.
    worker: { ...viteConfig.worker, format: 'es' },
    // Storybook's renderer imports lit/directive-helpers.js; pre-bundled with the rest of Lit,
    // the page runs one copy of Lit instead of two.
    optimizeDeps: { ...viteConfig.optimizeDeps, include: [...(viteConfig.optimizeDeps?.include ?? []), 'lit/directive-helpers.js'] },
    // Lit's decorators, as in tsconfig.json.
    esbuild: { ...(typeof viteConfig.esbuild === 'object' ? viteConfig.esbuild : {}), tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
  }),
};

export default config;
