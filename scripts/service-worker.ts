/**
 * Writes `sw.js` into a built site: a Workbox service worker that precaches every file of the build
 * (pages, scripts, Pagefind's index), so after one visit lessons and labs work offline. It runs
 * after Pagefind (npm run build, build:sub), so the search index is in the list. Paths in the list
 * are relative to sw.js, so one build works under whatever base path it was built for.
 *
 * A new build gives a new sw.js; the browser installs it on the next visit and it waits until the
 * learner chooses to update (src/lib/service-worker.ts shows the notice), so a page already open
 * never meets files of another build.
 *
 *   node scripts/service-worker.ts <dist folder>
 */
import { join } from 'node:path';
import { generateSW } from 'workbox-build';

export const SERVICE_WORKER = 'sw.js';

export async function writeServiceWorker(dir: string): Promise<{ count: number; size: number }> {
  const { count, size, warnings } = await generateSW({
    globDirectory: dir,
    globPatterns: ['**/*'],
    globIgnores: [SERVICE_WORKER],
    swDest: join(dir, SERVICE_WORKER),
    // One file, so the host needs no extra rule for Workbox's runtime.
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
    // The TypeScript worker is about 8 MB; Workbox's default limit (2 MB) would leave it out.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    // Their names carry a hash of their content: the URL is the revision.
    dontCacheBustURLsMatching: /^_astro\//,
    cleanupOutdatedCaches: true,
  });
  if (warnings.length > 0) throw new Error(`service worker: ${warnings.join('; ')}`);
  return { count, size };
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/service-worker.ts <dist folder>');
    process.exit(1);
  }
  const { count, size } = await writeServiceWorker(dir);
  console.log(`service worker: ${join(dir, SERVICE_WORKER)} precaches ${count} files, ${(size / 1024 / 1024).toFixed(1)} MB`);
}
