/**
 * Stands in for Monaco's worker plumbing, `monaco-editor/esm/vs/internal/common/workers.js`
 * (mirrors Monaco 0.57.0), which the language modes' worker managers import for createWebWorker.
 * Monaco's module also imports nearly every editor feature for their side effects, so the TypeScript
 * mode would bring back what editor-features.ts leaves out (about half a megabyte). This keeps only
 * createWebWorker; scripts/monaco-workers-plugin.ts redirects that one module here at build time.
 *
 * Left out: Monaco's `getWorkerUrl` route (and its Trusted Types policy), since monaco.ts gives
 * `MonacoEnvironment.getWorker`.
 */
import { editor } from 'monaco-editor/editor/editor.api';

/** What the worker managers pass (Monaco's own options, minus the module id this route ignores). */
export interface CreateWebWorkerOptions {
  label?: string;
  createWorker?: () => Worker;
  createData?: unknown;
  host?: editor.IInternalWebWorkerOptions['host'];
  keepIdleModels?: boolean;
}

interface WorkerEnvironment {
  getWorker?(workerId: string, label: string): Worker | Promise<Worker>;
}

function startWorker(label: string, createWorker: (() => Worker) | undefined): Worker | Promise<Worker> {
  const environment = (globalThis as { MonacoEnvironment?: WorkerEnvironment }).MonacoEnvironment;
  if (environment?.getWorker) return environment.getWorker('workerMain.js', label);
  if (createWorker) return createWorker();
  throw new Error('MonacoEnvironment.getWorker is not defined (src/workbench/monaco.ts defines it).');
}

export function createWebWorker<T extends object>(options: CreateWebWorkerOptions): editor.MonacoWebWorker<T> {
  const worker = Promise.resolve(startWorker(options.label ?? 'monaco-editor-worker', options.createWorker)).then((started) => {
    // The worker's first message is discarded and its second is the create data (Monaco's protocol,
    // internal/common/initialize.js).
    started.postMessage('ignore');
    started.postMessage(options.createData);
    return started;
  });
  return editor.createWebWorker<T>({ worker, host: options.host, keepIdleModels: options.keepIdleModels });
}
