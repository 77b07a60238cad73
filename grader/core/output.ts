/**
 * Console capture with a size limit. Learner code and tests print through a `console` whose
 * text lands in the current phase's buffer (module loading or one test), never on a real stream.
 */
import { format } from '@vitest/utils/display';

/** Thrown by console methods once a phase printed more than the lab's output limit. */
export class OutputLimitError extends Error {
  constructor(limitBytes: number) {
    super(`Output limit exceeded: more than ${limitBytes} bytes were printed. Print less (e.g. only when something goes wrong).`);
    this.name = 'OutputLimitError';
  }
}

/** UTF-8 length of a string without TextEncoder (not an ECMAScript built-in). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (approximately, on a character boundary). */
function truncateUtf8(text: string, maxBytes: number): string {
  let end = Math.min(text.length, maxBytes);
  while (end > 0 && utf8Length(text.slice(0, end)) > maxBytes) end = Math.floor(end * 0.9);
  return text.slice(0, end);
}

/** The text one phase printed, bounded by the output limit. */
export class OutputBuffer {
  readonly limitBytes: number;
  #chunks: string[] = [];
  #bytes = 0;
  #overflowed = false;

  readonly #onOverflow: (() => void) | undefined;

  /** @param onOverflow called once, when the limit is first passed */
  constructor(limitBytes: number, onOverflow?: () => void) {
    this.limitBytes = limitBytes;
    this.#onOverflow = onOverflow;
  }

  /** True once more than the limit was printed. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Appends one line; throws {@link OutputLimitError} when the limit is passed. */
  write(line: string): void {
    if (this.#overflowed) throw new OutputLimitError(this.limitBytes);
    const bytes = utf8Length(line) + 1;
    if (this.#bytes + bytes > this.limitBytes) {
      this.#chunks.push(truncateUtf8(line, this.limitBytes - this.#bytes));
      this.#chunks.push(`\n… output truncated: the limit is ${this.limitBytes} bytes\n`);
      this.#bytes = this.limitBytes;
      this.#overflowed = true;
      this.#onOverflow?.();
      throw new OutputLimitError(this.limitBytes);
    }
    this.#chunks.push(line, '\n');
    this.#bytes += bytes;
  }

  text(): string {
    return this.#chunks.join('');
  }
}

/** Formats console arguments like Node's util.format; never throws. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  try {
    return format([...args]);
  } catch {
    try {
      return args.map((arg) => (typeof arg === 'string' ? arg : Object.prototype.toString.call(arg))).join(' ');
    } catch {
      return '[unprintable value]';
    }
  }
}

/**
 * A console that writes to whatever buffer `current()` returns (the running phase's).
 * `warn` and `error` lines are marked so readers can tell them apart from `log`.
 */
export function createCapturingConsole(current: () => OutputBuffer): Record<string, (...args: unknown[]) => void> {
  const writer = (prefix: string) =>
    function write(...args: unknown[]): void {
      current().write(prefix + formatConsoleArgs(args));
    };
  const noop = (): void => {};
  return {
    log: writer(''),
    info: writer(''),
    debug: writer(''),
    trace: writer(''),
    dir: writer(''),
    table: writer(''),
    warn: writer('[warn] '),
    error: writer('[error] '),
    assert(condition: unknown, ...args: unknown[]): void {
      if (!condition) current().write(`[assert] Assertion failed${args.length > 0 ? `: ${formatConsoleArgs(args)}` : ''}`);
    },
    group: writer(''),
    groupEnd: noop,
    time: noop,
    timeEnd: noop,
    count: noop,
  };
}
