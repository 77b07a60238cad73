/**
 * One run of the two-dimensional-walk explorable: the nested walk for the chosen levels, one
 * reference per step, and at the end the simulator's figures for its own two-level case.
 */
import { measureMisses, type MissMeasurement } from './measure.ts';
import { nativeReferences, nestedReferences, nestedWalk, shadowReferences, type WalkReference } from './walk.ts';

export interface WalkSettings {
  readonly seed: number;
  readonly guestLevels: number;
  readonly nestedLevels: number;
}

/** What one TLB miss costs in the simulator, by mode, from its cost model. */
export interface SimulatorMissCost {
  readonly native: number;
  readonly nested: number;
  /** The shadow is walked like a native table; hidden faults and page-table writes cost exits on top. */
  readonly shadow: number;
  /**
   * What the simulator charges for any exit a shadow-paging monitor takes (a page fault, a write to
   * a protected page table) before the monitor's own work: the hardware part, the world switch and
   * the dispatch (hypervisor.ts, `dispatch`).
   */
  readonly exitAtLeast: number;
}

export function simulatorMissCost(measured: MissMeasurement): SimulatorMissCost {
  const { costs } = measured;
  return { native: costs.tlbMiss, nested: costs.nestedTlbMiss, shadow: costs.tlbMiss, exitAtLeast: costs.vmExit + costs.worldSwitch + costs.exitDispatch };
}

export class WalkSession {
  readonly settings: WalkSettings;
  readonly references: readonly WalkReference[];
  #done = 0;
  #measured: MissMeasurement | null = null;

  constructor(settings: WalkSettings) {
    this.settings = settings;
    this.references = nestedWalk(settings.guestLevels, settings.nestedLevels);
  }

  get native(): number {
    return nativeReferences(this.settings.guestLevels);
  }
  get nested(): number {
    return nestedReferences(this.settings.guestLevels, this.settings.nestedLevels);
  }
  get shadow(): number {
    return shadowReferences(this.settings.guestLevels);
  }
  /** The references made so far. */
  get done(): readonly WalkReference[] {
    return this.references.slice(0, this.#done);
  }
  get current(): WalkReference | null {
    return this.#done === 0 ? null : this.references[this.#done - 1]!;
  }
  /** The simulator's run, once the walk is over. */
  get measured(): MissMeasurement | null {
    return this.#measured;
  }
  get finished(): boolean {
    return this.#measured !== null;
  }

  /** The next reference; after the last, the simulator's run (a few hundred instructions: well under a frame). */
  step(): WalkReference | null {
    if (this.finished) return null;
    if (this.#done < this.references.length) this.#done++;
    if (this.#done === this.references.length) this.#measured = measureMisses(this.settings.seed);
    return this.current;
  }

  runToEnd(): void {
    while (!this.finished) this.step();
  }
}
