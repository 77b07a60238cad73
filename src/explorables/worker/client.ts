/**
 * The page side of an explorable's worker (protocol.ts): one worker per run, started with the
 * learner's settings at once, so its code loads while the learner reads the question. Replacing
 * the run (Reset, new settings) disposes of it: the worker is terminated even in the middle of a
 * long run, and every answer still awaited resolves to null, which the view must not draw.
 */
import type { ExplorableUpdate, ExplorableView } from '../types.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

/** What a view answers for a run disposed of meanwhile: nothing to show (the framework drops it). */
export const DISPOSED: ExplorableUpdate = { finished: false, announcement: '' };

/** What the page needs of a Worker (a fake one in unit tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

export interface WorkerAnswer<Snapshot> {
  readonly snapshot: Snapshot;
  /** Whether the run is over. */
  readonly finished: boolean;
}

interface Pending<Snapshot> {
  readonly resolve: (answer: WorkerAnswer<Snapshot> | null) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (snapshot: Snapshot) => void;
}

export class ExplorableWorker<Settings, Snapshot> {
  readonly #worker: WorkerLike;
  readonly #pending = new Map<number, Pending<Snapshot>>();
  #nextId = 1;
  #disposed = false;
  /** Once the worker has failed (its script did not load, say), every request is refused with why. */
  #failure: Error | null = null;
  /** The run's state before any step. */
  readonly started: Promise<WorkerAnswer<Snapshot> | null>;

  constructor(create: () => WorkerLike, settings: Settings) {
    this.#worker = create();
    this.#worker.addEventListener('message', ({ data }) => this.#receive(data as WorkerReply<Snapshot>));
    const fail = (event: { message?: string }) => this.#failAll(new Error(`its Web Worker failed${event.message ? `: ${event.message}` : ''}`));
    this.#worker.addEventListener('error', fail);
    this.#worker.addEventListener('messageerror', fail);
    this.started = this.#request({ kind: 'start', settings });
    // A view that draws its first state itself need not await this; its next request says why.
    this.started.catch(() => undefined);
  }

  /** One step; null if the run was disposed of meanwhile. */
  step(): Promise<WorkerAnswer<Snapshot> | null> {
    return this.#request({ kind: 'step' });
  }

  /** To the end, with a snapshot now and then while it goes on; null if disposed of meanwhile. */
  run(onProgress?: (snapshot: Snapshot) => void): Promise<WorkerAnswer<Snapshot> | null> {
    return this.#request({ kind: 'run' }, onProgress);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.resolve(null);
    this.#pending.clear();
  }

  #request(request: { kind: 'start'; settings: Settings } | { kind: 'step' | 'run' }, onProgress?: (snapshot: Snapshot) => void): Promise<WorkerAnswer<Snapshot> | null> {
    if (this.#disposed) return Promise.resolve(null);
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.#worker.postMessage({ ...request, id } satisfies WorkerRequest<Settings>);
    });
  }

  #receive(reply: WorkerReply<Snapshot>): void {
    const pending = this.#pending.get(reply.id);
    if (!pending || this.#disposed) return;
    if (reply.kind === 'progress') return pending.onProgress?.(reply.snapshot);
    this.#pending.delete(reply.id);
    if (reply.kind === 'done') pending.resolve({ snapshot: reply.snapshot, finished: reply.finished });
    else pending.reject(new Error(reply.message));
  }

  #failAll(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/**
 * Draws a worker's answer into the explorable's picture and table and words it for the status
 * line; an answer of a disposed-of run (null) draws nothing.
 */
export function answerDrawer<Snapshot>(view: ExplorableView, picture: (snapshot: Snapshot) => HTMLElement, table: (snapshot: Snapshot) => HTMLElement) {
  return (answer: WorkerAnswer<Snapshot> | null, describe: (snapshot: Snapshot) => string): ExplorableUpdate => {
    if (!answer) return DISPOSED;
    view.picture.replaceChildren(picture(answer.snapshot));
    view.table.replaceChildren(table(answer.snapshot));
    return { finished: answer.finished, announcement: describe(answer.snapshot) };
  };
}
