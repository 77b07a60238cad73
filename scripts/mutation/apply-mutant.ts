/**
 * One Stryker mutant as its own source text: the original file with the mutant's range replaced.
 * Stryker's internal positions (what a test runner is given) are 0-based lines and columns.
 */

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly start: Position;
  readonly end: Position;
}

/** Character offset of a 0-based line and column in `source`. */
export function offsetOf(source: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = source.indexOf('\n', offset);
    if (newline === -1) throw new RangeError(`line ${position.line + 1} is past the end of the file (${line + 1} lines)`);
    offset = newline + 1;
  }
  return offset + position.column;
}

/** `source` with the text at `location` replaced by `replacement`. */
export function applyMutant(source: string, location: Location, replacement: string): string {
  return source.slice(0, offsetOf(source, location.start)) + replacement + source.slice(offsetOf(source, location.end));
}

/** The original text a mutant replaces. */
export function originalText(source: string, location: Location): string {
  return source.slice(offsetOf(source, location.start), offsetOf(source, location.end));
}
