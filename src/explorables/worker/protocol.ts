/**
 * What an explorable's Web Worker and its page say to each other. A run that takes more than a
 * frame (a native kernel of millions of instructions, a migration of thousands of pages, a week
 * of a fleet) runs in a worker, so the page never stops drawing or answering the keyboard. The
 * worker holds the run; the page holds only snapshots: plain data it draws.
 */

/** A run that advances in steps, as the worker holds it. */
export interface SteppedRun<Snapshot> {
  /** Advances one step; true once the run is over (and then does nothing more). */
  advance(): boolean;
  /** Everything the page draws, as plain data (structured-cloneable). */
  snapshot(): Snapshot;
  /** A cheaper snapshot to draw while a long run goes on; without it the page sees only the end. */
  progress?(): Snapshot;
}

/** What an explorable's worker entry serves: a new run from the learner's settings. */
export interface SteppedModel<Settings, Snapshot> {
  start(settings: Settings): SteppedRun<Snapshot>;
}

/** Page → worker. Every request gets exactly one final reply with the same id. */
export type WorkerRequest<Settings> =
  | { readonly id: number; readonly kind: 'start'; readonly settings: Settings }
  | { readonly id: number; readonly kind: 'step' }
  | { readonly id: number; readonly kind: 'run' };

/** Worker → page: progress while a run goes on, then the answer (or what went wrong). */
export type WorkerReply<Snapshot> =
  | { readonly id: number; readonly kind: 'progress'; readonly snapshot: Snapshot }
  | { readonly id: number; readonly kind: 'done'; readonly snapshot: Snapshot; readonly finished: boolean }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };
