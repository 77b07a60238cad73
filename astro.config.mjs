// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// The site can be hosted under any sub-path: VIRTLAB_BASE=/courses/virtlab/ npm run build
const base = process.env.VIRTLAB_BASE ?? '/';

export default defineConfig({
  base,
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  integrations: [mdx()],
  markdown: {
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } },
  },
  vite: {
    worker: { format: 'es' },
  },
});
