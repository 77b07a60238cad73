/** Small pieces shared by the kernel's modules; not part of the public API. */

/** How a file is opened, as in C's fopen: r, r+ (read/write), w (create, truncate), w+, a (append), wx (create exclusively). */
export type OpenFlags = 'r' | 'r+' | 'w' | 'w+' | 'a' | 'wx';
export const OPEN_FLAGS: readonly OpenFlags[] = Object.freeze(['r', 'r+', 'w', 'w+', 'a', 'wx'] as const);

/** File-system types `mount` knows: a fresh memory file system, or the file system on a block device. */
export type MountFsType = 'tmpfs' | 'diskfs';

/** Thrown through a program by exit(). */
export class ProcessExit {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

/** Thrown through a program whose process was killed or whose run ran out of budget. */
export class ProcessStop {
  readonly reason: 'killed' | 'budget';
  constructor(reason: 'killed' | 'budget') {
    this.reason = reason;
  }
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
