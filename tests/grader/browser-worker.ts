/**
 * Runs the browser runner in Node: the real worker entry (grader/browser/worker.ts), bundled for
 * the browser, inside a worker_threads Worker dressed as a Web Worker. Not *.test.ts: a helper.
 */
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerLike } from '../../grader/browser/run-public-tests.ts';
import { REPO } from './helpers.ts';

/** Lets the bundled worker talk through worker_threads as if it were a Web Worker. */
const WEB_WORKER_SHIM = `
import { parentPort as __virtlabPort } from 'node:worker_threads';
import __virtlabProcess from 'node:process';
// A browser reports a promise rejection nobody handled and goes on; Node would end the worker.
__virtlabProcess.on('unhandledRejection', () => {});
globalThis.postMessage = (message) => __virtlabPort.postMessage(message);
globalThis.addEventListener = (type, listener) => {
  if (type === 'message') __virtlabPort.on('message', (data) => listener({ data }));
};
`;

/** Bundles the worker once; returns a factory of worker stand-ins and a cleanup. */
export async function nodeWorkerFactory(heapMb: number): Promise<{ create: () => WorkerLike; dispose: () => Promise<void> }> {
  const result = await build({
    entryPoints: [join(REPO, 'grader/browser/worker.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    banner: { js: WEB_WORKER_SHIM },
    logLevel: 'silent',
  });
  const folder = await mkdtemp(join(tmpdir(), 'virtlab-worker-'));
  const file = join(folder, 'worker.mjs');
  await writeFile(file, result.outputFiles[0]?.text ?? '');
  const create = (): WorkerLike => {
    const worker = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 } });
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => void worker.terminate(),
      addEventListener: (type: 'message' | 'error', listener: (event: { data: unknown }) => void) => {
        if (type === 'message') worker.on('message', (data: unknown) => listener({ data }));
        else worker.on('error', (error) => listener(error as unknown as { data: unknown }));
      },
    } as WorkerLike;
  };
  return { create, dispose: () => rm(folder, { recursive: true, force: true }) };
}
