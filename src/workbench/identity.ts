/**
 * Who hands the submission in: the learner's name and student id, asked once, kept in this
 * browser (one record for every lab), shown on the lab page and editable there.
 */
import * as z from 'zod/mini';
import type { StorageLike } from '../lib/progress.ts';

const KEY = 'virtlab.student.v1';

/** The grader's limits on `student` and `studentId` (grader/core/lab-format.ts). */
export const MAX_IDENTITY_LENGTH = 200;

const identitySchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(MAX_IDENTITY_LENGTH)),
  studentId: z.string().check(z.maxLength(MAX_IDENTITY_LENGTH)),
});
export type StudentIdentity = z.infer<typeof identitySchema>;

export class IdentityStore {
  readonly #storage: StorageLike;

  constructor(storage: StorageLike) {
    this.#storage = storage;
  }

  /** The stored identity, or undefined if none was given (or it is unreadable). */
  load(): StudentIdentity | undefined {
    try {
      const raw = this.#storage.getItem(KEY);
      if (raw === null) return undefined;
      const parsed = identitySchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Trims and stores; returns the stored identity, or a reason it cannot be used. */
  save(name: string, studentId: string): { ok: true; identity: StudentIdentity; stored: boolean } | { ok: false; error: string } {
    const identity = { name: name.trim(), studentId: studentId.trim() };
    if (identity.name === '') return { ok: false, error: 'Type your name: your instructor sees it next to your grade.' };
    if (identity.name.length > MAX_IDENTITY_LENGTH || identity.studentId.length > MAX_IDENTITY_LENGTH) {
      return { ok: false, error: `A name or student id is at most ${MAX_IDENTITY_LENGTH} characters.` };
    }
    try {
      this.#storage.setItem(KEY, JSON.stringify(identity));
      return { ok: true, identity, stored: true };
    } catch {
      // Still usable for this download; it will be asked again next time.
      return { ok: true, identity, stored: false };
    }
  }
}
