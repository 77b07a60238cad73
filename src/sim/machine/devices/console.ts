/**
 * The console: a character output port and an input queue.
 * @module
 */
import { requireArgument } from '../../common/errors.ts';

/** Most characters a console keeps; older output is dropped (and counted) past this. */
export const CONSOLE_CAPACITY = 1 << 20;

/** A serial-console-like device. */
export class ConsoleDevice {
  #chunks: string[] = [];
  #pending = '';
  #length = 0;
  #dropped = 0;
  #input: number[] = [];
  #inputHead = 0;

  /** Appends one character (low byte of `value`). Called by `out CONSOLE_DATA`. */
  put(value: number): void {
    if (this.#length >= CONSOLE_CAPACITY) {
      this.#dropped++;
      return;
    }
    this.#pending += String.fromCharCode(value & 0xff);
    this.#length++;
    if (this.#pending.length >= 256) {
      this.#chunks.push(this.#pending);
      this.#pending = '';
    }
  }

  /** Everything printed so far. */
  get output(): string {
    if (this.#chunks.length > 1) this.#chunks = [this.#chunks.join('')];
    return (this.#chunks[0] ?? '') + this.#pending;
  }

  /** Characters dropped because the console was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues text for the guest to read through `in CONSOLE_INPUT` (Latin-1 characters only). */
  type(text: string): void {
    requireArgument(typeof text === 'string', 'console.type(text): text must be a string');
    for (const ch of text) {
      const code = ch.codePointAt(0) as number;
      requireArgument(code <= 255, `console.type: character "${ch}" is not a single byte`);
      this.#input.push(code);
    }
  }

  /** Next input byte, or -1. Called by `in CONSOLE_INPUT`. */
  take(): number {
    if (this.#inputHead >= this.#input.length) return -1;
    return this.#input[this.#inputHead++] as number;
  }
}
