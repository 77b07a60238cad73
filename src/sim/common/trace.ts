/**
 * A bounded event trace: keeps the most recent events for visualizations and debugging
 * without growing without limit during long runs.
 * @module
 */
import { SimError } from './errors.ts';

/** A ring buffer of the last `capacity` events, with a count of the ones that fell out. */
export class EventTrace<T> {
  readonly capacity: number;
  #events: T[] = [];
  #next = 0;
  #total = 0;

  /** @param capacity how many events to keep (0 disables recording). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 1_000_000) {
      throw new SimError('INVALID_ARGUMENT', `trace capacity must be an integer 0…1000000, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Adds an event (the oldest is dropped when full). Freeze events you hand to learners. */
  record(event: T): void {
    if (this.capacity === 0) return;
    this.#total++;
    if (this.#events.length < this.capacity) {
      this.#events.push(event);
      return;
    }
    this.#events[this.#next] = event;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Events recorded since creation, including dropped ones. */
  get total(): number {
    return this.#total;
  }

  /** Events that no longer fit. */
  get dropped(): number {
    return this.#total - this.#events.length;
  }

  /** The kept events, oldest first, as a new frozen array. */
  snapshot(): readonly T[] {
    return Object.freeze([...this.#events.slice(this.#next), ...this.#events.slice(0, this.#next)]);
  }

  /** Forgets every event. */
  clear(): void {
    this.#events = [];
    this.#next = 0;
    this.#total = 0;
  }
}
