// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// The site can be hosted under any sub-path: VIRTLAB_BASE=/courses/virtlab/ npm run build
const base = process.env.VIRTLAB_BASE ?? '/';

export default defineConfig({
  base,
  // Tests that build fixture content use their own cache so they never race a real build's.
  ...(process.env.VIRTLAB_CACHE_DIR ? { cacheDir: process.env.VIRTLAB_CACHE_DIR } : {}),
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  integrations: [mdx()],
  markdown: {
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false },
  },
  vite: {
    worker: { format: 'es' },
  },
});
