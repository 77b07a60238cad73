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
  /** The state before anything ran, drawn and described. */
  readonly initial: ExplorableUpdate;
  /** Advance one step (for explorables with steps). */
  step?(): ExplorableUpdate | Promise<ExplorableUpdate>;
  /**
   * Run to the end. A run longer than a frame may yield to the browser between its parts (a
   * promise); a run replaced meanwhile (Reset, new settings) must stop drawing.
   */
  runToEnd(): ExplorableUpdate | Promise<ExplorableUpdate>;
}

/** What an explorable's lazily loaded module exports. */
export interface ExplorableModule {
  start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun;
}
