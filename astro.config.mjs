// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { ensureGenerated } from './scripts/generate/index.ts';
import { inlineScriptPolicy } from './scripts/csp-inline-scripts.ts';
import { onBuildWarning } from './scripts/build-warnings.ts';
import { monacoWorkersPlugin } from './scripts/monaco-workers-plugin.ts';

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
  integrations: [generatedFiles, mdx(), inlineScriptPolicy],
  // Content-Security-Policy as a <meta> on every page (static hosts cannot always send headers):
  // scripts only from the site or by hash (Astro hashes the scripts it inlines, inlineScriptPolicy
  // the <script is:inline> blocks), so an injected inline <script> never runs. The lab runner's
  // sandbox frame carries its own, stricter policy (grader/browser/sandbox-frame.html).
  // README.md's "Hosting the site" lists the headers a host should add.
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      // Pagefind's search runs WebAssembly.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      // Monaco and Pagefind add <style> elements at run time; styles cannot run code.
      styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
    },
  },
  markdown: {
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false },
  },
  vite: {
    // Monaco's worker plumbing without the editor features it drags in (src/workbench/monaco-workers.ts).
    plugins: [monacoWorkersPlugin()],
    // Minified bundles (the page's and the test worker's) keep class and function names, so a
    // failure learners see says `SimError`, not `n`.
    worker: { format: 'es', rolldownOptions: { output: KEEP_NAMES } },
    // onwarn drops only the known-harmless warnings (scripts/build-warnings.ts says which and why).
    build: { rolldownOptions: { output: KEEP_NAMES, onwarn: onBuildWarning } },
  },
});
