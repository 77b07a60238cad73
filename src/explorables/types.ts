/**
 * The contract between the explorable framework (prediction, seed, run/reset, live region, lazy
 * loading) and one explorable's model and picture. The framework knows nothing of the simulator.
 */

/** What the learner set before a run: the seed and the explorable's own choices (form field name → value). */
export interface ExplorableSettings {
  readonly seed: number;
  readonly choices: Readonly<Record<string, string>>;
}

/** Where an explorable draws: its picture, and the same facts as a table (the text alternative). */
export interface ExplorableView {
  readonly picture: HTMLElement;
  readonly table: HTMLElement;
}

/** After an action: whether the run is over, and one sentence for screen readers (and the status line). */
export interface ExplorableUpdate {
  readonly finished: boolean;
  readonly announcement: string;
}

/** One run from the beginning, as the learner drives it. */
export interface ExplorableRun {
  /** The state before anything ran, drawn and described (a promise when a worker computes it). */
  readonly initial: ExplorableUpdate | Promise<ExplorableUpdate>;
  /** Advance one step (for explorables with steps). */
  step?(): ExplorableUpdate | Promise<ExplorableUpdate>;
  /**
   * Run to the end. A run longer than a frame runs in a Web Worker (worker/client.ts) and
   * answers with a promise; a run disposed of meanwhile must draw nothing more.
   */
  runToEnd(): ExplorableUpdate | Promise<ExplorableUpdate>;
  /** Called when Reset or new settings replace this run: stop its worker, draw nothing more. */
  dispose?(): void;
}

/** What an explorable's lazily loaded module exports. */
export interface ExplorableModule {
  start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun;
}
