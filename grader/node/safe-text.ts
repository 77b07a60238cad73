/**
 * Learner-controlled text made safe for a terminal and for file names. Student names, file
 * names, error messages and console output can carry newlines, ANSI escape sequences (clear the
 * screen, move the cursor, forge a row) or bidirectional overrides; none of that may reach an
 * instructor's terminal or decide where a report is written.
 */
import { stripVTControlCharacters } from 'node:util';

// C0 and C1 controls, DEL, and the Unicode bidirectional controls that reorder what is shown.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text: escape sequences removed, every other control character (newlines too) a space. */
export function singleLine(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROLS, ' ');
}

/** Multi-line text: escape sequences and control characters removed, newlines and tabs kept. */
export function plainText(text: string): string {
  return stripVTControlCharacters(text).replace(/\r\n?/g, '\n').replace(CONTROLS_BUT_LINES, '');
}

/** A file name (without extension) made from a student's name that cannot leave its folder. */
export function safeFileStem(student: string): string {
  const cleaned = singleLine(student).replace(/[^\w.@-]+/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return cleaned === '' ? 'student' : cleaned;
}

/**
 * One file name stem per student, in order, all different even on a case-insensitive file
 * system: `dup/name` and `dup?name` (both `dup_name`) become `dup_name` and `dup_name-2`.
 */
export function uniqueFileStems(students: readonly string[]): string[] {
  const taken = new Set<string>();
  return students.map((student) => {
    const base = safeFileStem(student);
    let stem = base;
    for (let n = 2; taken.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    taken.add(stem.toLowerCase());
    return stem;
  });
}
