/**
 * Bundles, built with esbuild once per grading run (not per submission):
 * - the harness bundle (simulator + runtime + matchers) that each sandbox evaluates in its isolate;
 * - the sandbox process entry, as one file, so the permission model can grant read access to
 *   exactly that file and the isolated-vm binary, and nothing else of the repository.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (two folders up from grader/node). */
export const REPO_ROOT = resolve(here, '..', '..');

// esbuild is loaded only when bundling, so a packaged autograder (prebuilt bundles) runs without it.
async function esbuild(): Promise<typeof import('esbuild')> {
  return import('esbuild');
}

/** The harness bundle's code: an IIFE that defines the boot function of runtime-entry.ts. */
export async function bundleHarness(): Promise<string> {
  const { build } = await esbuild();
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
  /** V8 code cache of the harness (see {@link harnessCodeCache}). */
  harnessCache?: Uint8Array;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/** The sandbox process entry's code (an ES module for Node). */
export async function bundleSandboxProcess(): Promise<string> {
  const { build } = await esbuild();
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'grader/node/sandbox-process.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no sandbox entry');
  return output.text;
}

/** Builds the bundles for a grading run. */
export async function prepareSandboxFiles(): Promise<SandboxFiles> {
  const [harness, entryCode] = await Promise.all([bundleHarness(), bundleSandboxProcess()]);
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

/** Sandbox files that already exist (a packaged autograder ships them prebuilt). */
export function prebuiltSandboxFiles(files: { harness: string; processEntry: string; addon: string }): SandboxFiles {
  return { ...files, dispose: async () => {} };
}

/**
 * V8's code cache for the harness, made once in this (trusted) process with the same addon the
 * sandboxes load, so each sandbox skips compiling the harness. Undefined if it cannot be made.
 */
export async function harnessCodeCache(files: Pick<SandboxFiles, 'addon' | 'harness'>): Promise<Uint8Array | undefined> {
  try {
    const ivm = (createRequire(import.meta.url)(files.addon) as { ivm: typeof import('isolated-vm') }).ivm;
    const isolate = new ivm.Isolate({ memoryLimit: 64 });
    try {
      const script = await isolate.compileScript(files.harness, { produceCachedData: true });
      const cache = (script as unknown as { cachedData?: { copy(): ArrayBuffer } }).cachedData?.copy();
      return cache === undefined ? undefined : new Uint8Array(cache);
    } finally {
      isolate.dispose();
    }
  } catch {
    return undefined;
  }
}
