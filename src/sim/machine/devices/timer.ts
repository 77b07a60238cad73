/**
 * The interval timer. It counts ticks: one per retired instruction, plus the ticks a halted
 * CPU spends idle. Counting instructions rather than cycles makes interrupts arrive at the same
 * instruction on bare hardware and under a correct monitor, whose exits cost cycles but retire
 * the same instructions (equivalence, apart from timing).
 * @module
 */

/** A periodic timer on interrupt line 0. */
export class TimerDevice {
  #period = 0;
  #deadline = Infinity;
  #line = false;
  #fired = 0;

  /** Programs the period (0 stops the timer); the first tick comes `period` ticks from `now`. */
  setPeriod(period: number, now: number): void {
    this.#period = period > 0 ? period >>> 0 : 0;
    this.#deadline = this.#period > 0 ? now + this.#period : Infinity;
  }

  /** The programmed period. */
  get period(): number {
    return this.#period;
  }

  /** Time of the next tick, or Infinity. */
  get deadline(): number {
    return this.#deadline;
  }

  /** True while the interrupt is raised and not yet acknowledged. */
  get line(): boolean {
    return this.#line;
  }

  /** How many times the timer has fired. */
  get fired(): number {
    return this.#fired;
  }

  /** Lowers the interrupt line. */
  acknowledge(): void {
    this.#line = false;
  }

  /** Raises the line if the deadline has passed and schedules the next one; true if it fired. */
  update(now: number): boolean {
    if (now < this.#deadline) return false;
    this.#line = true;
    this.#fired++;
    // Ticks missed while the line was already raised collapse into one interrupt.
    const behind = Math.floor((now - this.#deadline) / this.#period);
    this.#deadline += (behind + 1) * this.#period;
    return true;
  }
}
