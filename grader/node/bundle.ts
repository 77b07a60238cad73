/**
 * Bundles, built with esbuild once per grading run (not per submission):
 * - the harness bundle (simulator + runtime + matchers) that each sandbox evaluates in its isolate;
 * - the sandbox process entry, as one file, so the permission model can grant read access to
 *   exactly that file and the isolated-vm binary, and nothing else of the repository.
 */
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (two folders up from grader/node). */
export const REPO_ROOT = resolve(here, '..', '..');

/** The harness bundle's code: an IIFE that defines the boot function of runtime-entry.ts. */
export async function bundleHarness(): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'grader/core/runtime-entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no harness bundle');
  return output.text;
}

/** Absolute path of the isolated-vm native addon this Node will load. */
export function isolatedVmBinary(): string {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
  return nodeGypBuild.path(dirname(require.resolve('isolated-vm/package.json')));
}

/** Files a grading run needs on disk, in a private temporary folder. */
export interface SandboxFiles {
  /** The bundled sandbox process entry (`.mjs`). */
  processEntry: string;
  /** The isolated-vm addon. */
  addon: string;
  /** The harness bundle's code (kept in memory and sent to each sandbox). */
  harness: string;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/** Builds the bundles for a grading run. */
export async function prepareSandboxFiles(): Promise<SandboxFiles> {
  const [harness, processBuild] = await Promise.all([
    bundleHarness(),
    build({
      entryPoints: [join(REPO_ROOT, 'grader/node/sandbox-process.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      logLevel: 'silent',
    }),
  ]);
  const entryCode = processBuild.outputFiles[0]?.text;
  if (entryCode === undefined) throw new Error('esbuild produced no sandbox entry');
  const folder = await mkdtemp(join(tmpdir(), 'virtlab-grader-'));
  const processEntry = join(folder, 'sandbox-process.mjs');
  await writeFile(processEntry, entryCode);
  return {
    processEntry,
    addon: isolatedVmBinary(),
    harness,
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
