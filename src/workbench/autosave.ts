/**
 * The learner's lab code in this browser: every edit is saved per lab and per lab version, so a
 * reload, a crash or a closed tab loses nothing.
 *
 * - A reset to the starter keeps what it replaced in an undo slot, and stays reset after a reload.
 * - When a lab's starter changes version, code written for an older version is kept and offered
 *   (`LoadedCode.older`), never dropped.
 * - A damaged record is moved aside under a `.damaged` key rather than deleted, and reported.
 */
import * as z from 'zod/mini';
import type { StorageLike } from '../lib/progress.ts';

const PREFIX = 'virtlab.code.v1.';

const filesSchema = z.record(z.string(), z.string());
const versionSchema = z.object({
  files: filesSchema,
  savedAt: z.string(),
  /** What the last replacement put aside, and which action it was (`reset`, `import`, …). */
  undo: z.optional(z.object({ files: filesSchema, savedAt: z.string(), action: z.optional(z.string()) })),
});
const recordSchema = z.object({ versions: z.record(z.string(), versionSchema) });

type VersionRecord = z.infer<typeof versionSchema>;
type LabRecord = z.infer<typeof recordSchema>;
export type LabFiles = Record<string, string>;

export interface LoadedCode {
  files: LabFiles;
  /** Where the files came from. */
  origin: 'saved' | 'starter';
  /** Code saved for an older version of this lab, offered to the learner. */
  older?: { version: number; files: LabFiles; savedAt: string };
  /** Whether a reset can be undone. */
  canUndoReset: boolean;
  /** The action an undo would take back (`reset`, `import`…), when there is one. */
  undoAction?: string;
}

export class CodeStore {
  readonly #storage: StorageLike;
  readonly #now: () => Date;
  /** What went wrong while reading or writing, in words a learner understands. */
  readonly problems: string[] = [];

  constructor(storage: StorageLike, now: () => Date = () => new Date()) {
    this.#storage = storage;
    this.#now = now;
  }

  load(labId: string, version: number, starter: LabFiles): LoadedCode {
    const record = this.#read(labId);
    const current = record.versions[String(version)];
    const older = Object.entries(record.versions)
      .map(([v, saved]) => ({ version: Number(v), files: saved.files, savedAt: saved.savedAt }))
      .filter((saved) => saved.version < version)
      .sort((a, b) => b.version - a.version)[0];
    const offered = !current && older ? { older } : {};
    return current
      ? { files: { ...starter, ...current.files }, origin: 'saved', canUndoReset: current.undo !== undefined, ...(current.undo ? { undoAction: current.undo.action ?? 'reset' } : {}) }
      : { files: { ...starter }, origin: 'starter', canUndoReset: false, ...offered };
  }

  /**
   * Saves the learner's files for this lab version (call on every edit, debounced). Once the
   * files differ from what a reset put in place, that reset can no longer be undone: undoing it
   * would throw away the edits made since.
   */
  save(labId: string, version: number, files: LabFiles): boolean {
    const record = this.#read(labId);
    const previous = record.versions[String(version)];
    const undo = previous?.undo !== undefined && sameFiles(previous.files, files) ? { undo: previous.undo } : {};
    record.versions[String(version)] = { files: { ...files }, savedAt: this.#now().toISOString(), ...undo };
    return this.#write(labId, record);
  }

  /**
   * Puts `files` in place of the learner's code (a reset to the starter, an imported submission,
   * code from an older version), keeping what they replaced for `undoReset`. `action` names it for
   * the undo button. Returns false when the browser refused to store it (see `problems`).
   */
  reset(labId: string, version: number, files: LabFiles, replaced: LabFiles, action = 'reset'): boolean {
    const record = this.#read(labId);
    const now = this.#now().toISOString();
    record.versions[String(version)] = { files: { ...files }, savedAt: now, undo: { files: { ...replaced }, savedAt: now, action } };
    return this.#write(labId, record);
  }

  /** Brings back the code a reset replaced; returns it, or undefined if there is nothing to undo. */
  undoReset(labId: string, version: number): LabFiles | undefined {
    const record = this.#read(labId);
    const saved: VersionRecord | undefined = record.versions[String(version)];
    if (!saved?.undo) return undefined;
    record.versions[String(version)] = { files: saved.undo.files, savedAt: this.#now().toISOString() };
    this.#write(labId, record);
    return { ...saved.undo.files };
  }

  #key(labId: string): string {
    return PREFIX + labId;
  }

  #read(labId: string): LabRecord {
    let raw: string | null;
    try {
      raw = this.#storage.getItem(this.#key(labId));
    } catch {
      this.problems.push('This browser is refusing storage, so your code is not being saved. Download a submission to keep it.');
      return { versions: {} };
    }
    if (raw === null) return { versions: {} };
    try {
      const parsed = recordSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      /* fall through: unreadable JSON */
    }
    // Keep the damaged text: it may still hold the learner's code.
    const aside = `${this.#key(labId)}.damaged.${this.#now().getTime()}`;
    try {
      this.#storage.setItem(aside, raw);
      this.#storage.removeItem(this.#key(labId));
    } catch {
      /* cannot move it aside: leave it where it is */
    }
    this.problems.push(`Saved code for this lab was damaged; its text was kept under "${aside}" in this browser's storage and the lab starts fresh.`);
    return { versions: {} };
  }

  #write(labId: string, record: LabRecord): boolean {
    try {
      this.#storage.setItem(this.#key(labId), JSON.stringify(record));
      return true;
    } catch {
      this.problems.push('Your code could not be saved in this browser (storage full or refused). Download a submission to keep it.');
      return false;
    }
  }
}

function sameFiles(a: LabFiles, b: LabFiles): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
