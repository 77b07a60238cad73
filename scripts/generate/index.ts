/**
 * Generated files the site needs, made from the code so they never drift from it:
 * - `src/workbench/generated/sim.d.ts`, `test.d.ts`: the declarations the lab editor loads;
 * - `src/workbench/generated/api.json`: the simulator's API reference for the /api/ page.
 *
 * `ensureGenerated()` runs from an Astro integration (astro.config.mjs) before every build or dev
 * server, and regenerates only when a source is newer than the outputs, so a plain `astro build`
 * in a fresh clone works. `node scripts/generate/index.ts [--force]` does the same by hand.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateApiReference } from './api-reference.ts';
import { generateLabTypes, LAB_TYPES_OUTPUTS } from './lab-types.ts';

const root = resolve(import.meta.dirname, '../..');
export const GENERATED_DIR = resolve(root, 'src/workbench/generated');
const SOURCE_DIRS = ['src/sim', 'grader/core'].map((dir) => resolve(root, dir));

function newestSource(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  SOURCE_DIRS.forEach(visit);
  return newest;
}

function isStale(outputs: readonly string[], sourcesTime: number): boolean {
  return outputs.some((name) => {
    const path = join(GENERATED_DIR, name);
    return !existsSync(path) || statSync(path).mtimeMs < sourcesTime;
  });
}

/** Regenerates whatever is missing or older than the simulator's and harness's sources. */
export async function ensureGenerated(options: { force?: boolean; log?: (message: string) => void } = {}): Promise<void> {
  const log = options.log ?? console.log;
  const sourcesTime = newestSource();
  if (options.force || isStale(LAB_TYPES_OUTPUTS, sourcesTime)) {
    const started = Date.now();
    generateLabTypes(GENERATED_DIR);
    log(`generated lab editor types (${LAB_TYPES_OUTPUTS.join(', ')}) in ${Date.now() - started} ms`);
  }
  if (options.force || isStale(['api.json'], sourcesTime)) {
    const started = Date.now();
    const count = await generateApiReference(GENERATED_DIR);
    log(`generated the API reference (${count} items) in ${Date.now() - started} ms`);
  }
}

if (import.meta.main) await ensureGenerated({ force: process.argv.includes('--force') });
