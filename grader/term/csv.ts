/** Reading the instructor's CSV files (roster, LMS submission times) with csv-parse, columns found by header name. */
import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';

/** A problem with a term file (roster, course file, times CSV): the message says what to fix. */
export class TermFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TermFileError';
  }
}

/** The rows of a CSV with a header line, keys lower-cased and trimmed (a BOM from Excel is removed). */
export function parseCsvRecords(text: string, file: string): Record<string, string>[] {
  try {
    const rows = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
    return rows;
  } catch (error) {
    throw new TermFileError(`${file} is not a readable CSV (${(error as Error).message}). Save it as CSV with a header line.`);
  }
}

export async function readCsvRecords(file: string): Promise<Record<string, string>[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TermFileError(`${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return parseCsvRecords(text, file);
}

/**
 * The header (of `headers`) for one meaning: `chosen` when the instructor named it, else the first
 * of `candidates` present. Null when none is there and the column is optional.
 */
export function findColumn(headers: readonly string[], candidates: readonly string[], chosen: string | undefined, file: string, what: string): string | null {
  if (chosen !== undefined) {
    const wanted = chosen.trim().toLowerCase();
    if (!headers.includes(wanted)) throw new TermFileError(`${file} has no column "${chosen}" for the ${what}. Its columns are: ${headers.join(', ')}.`);
    return wanted;
  }
  return candidates.find((c) => headers.includes(c)) ?? null;
}
