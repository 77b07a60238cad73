// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { ensureGenerated } from './scripts/generate/index.ts';

// The site can be hosted under any sub-path: VIRTLAB_BASE=/courses/virtlab/ npm run build
const base = process.env.VIRTLAB_BASE ?? '/';

/**
 * Makes the files generated from the code (editor typings, API reference) before Astro reads them.
 * @type {import('astro').AstroIntegration}
 */
const generatedFiles = {
  name: 'virtlab:generated-files',
  hooks: {
    'astro:config:setup': async ({ logger }) => ensureGenerated({ log: (message) => logger.info(message) }),
  },
};

/** Rolldown output options: keep `name` of functions and classes, also through Oxc's minifier. */
const KEEP_NAMES = {
  keepNames: true,
  minify: { compress: { keepNames: { function: true, class: true } }, mangle: { keepNames: true } },
};

export default defineConfig({
  base,
  // Tests that build fixture content use their own cache so they never race a real build's.
  ...(process.env.VIRTLAB_CACHE_DIR ? { cacheDir: process.env.VIRTLAB_CACHE_DIR } : {}),
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  integrations: [generatedFiles, mdx()],
  markdown: {
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false },
  },
  vite: {
    // Minified bundles (the page's and the test worker's) keep class and function names, so a
    // failure learners see says `SimError`, not `n`.
    worker: { format: 'es', rolldownOptions: { output: KEEP_NAMES } },
    build: { rolldownOptions: { output: KEEP_NAMES } },
  },
});
