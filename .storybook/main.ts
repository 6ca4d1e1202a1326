import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Storybook 9 with its Vite framework. The @web/storybook-builder route was tried first, to
 * share the dev server's toolchain, but its web-components framework (0.2.1) still targets
 * Storybook 8 while the builder 1.0 needs Storybook 9, so the two cannot be installed together.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  viteFinal: async (viteConfig) => ({
    ...viteConfig,
    // The engine's workers are ES modules that import lazily, which Vite bundles only as ES.
    worker: { ...viteConfig.worker, format: 'es' },
    // Lit's decorators, as in tsconfig.json.
    esbuild: { ...(typeof viteConfig.esbuild === 'object' ? viteConfig.esbuild : {}), tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
  }),
};

export default config;
