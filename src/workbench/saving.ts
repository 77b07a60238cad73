/**
 * Saving the learner's code in this browser: every edit (debounced), at once when the page is
 * hidden or closed, and every replacement (reset, import, older code) with its undo. A save the
 * browser refuses is reported at once, with the code still in the editor and a download offered.
 */
import type { LabFiles } from './autosave.ts';
import { CodeStore } from './autosave.ts';

const SAVE_DELAY_MS = 300;

/** Tells the learner whether their code is safely stored. */
export interface SaveReport {
  failed(problem: string): void;
  saved(): void;
}

export class CodeSaver {
  readonly #store: CodeStore;
  readonly #lab: { id: string; version: number };
  readonly #files: () => LabFiles;
  readonly #report: SaveReport;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(store: CodeStore, lab: { id: string; version: number }, files: () => LabFiles, report: SaveReport) {
    this.#store = store;
    this.#lab = lab;
    this.#files = files;
    this.#report = report;
  }

  /** After an edit: saves once the learner pauses. */
  schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  /** Saves a pending edit now (the page is being hidden or closed). */
  flush(): void {
    if (this.#timer !== undefined) this.saveNow();
  }

  saveNow(): boolean {
    this.#cancel();
    return this.#outcome(this.#store.save(this.#lab.id, this.#lab.version, this.#files()));
  }

  /** Stores `files` in place of `replaced`, which an undo brings back. */
  replace(files: LabFiles, replaced: LabFiles, action: string): boolean {
    this.#cancel();
    return this.#outcome(this.#store.reset(this.#lab.id, this.#lab.version, files, replaced, action));
  }

  /** The code the last replacement put aside, now stored again; undefined if there is none. */
  undo(): LabFiles | undefined {
    this.#cancel();
    return this.#store.undoReset(this.#lab.id, this.#lab.version);
  }

  #cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #outcome(ok: boolean): boolean {
    if (ok) this.#report.saved();
    else this.#report.failed(this.#store.problems.at(-1) ?? 'Your code could not be saved in this browser.');
    return ok;
  }
}

/** The alert shown while saving fails: what happened, that the code is still here, and a download. */
export function mountSaveWarning(notice: HTMLElement, download: () => void): SaveReport {
  const text = notice.querySelector<HTMLElement>('[data-save-failed-text]')!;
  notice.querySelector('[data-save-failed-download]')!.addEventListener('click', download);
  return {
    failed(problem) {
      text.textContent = `${problem} Your code is still in the editor, but a reload or a closed tab would lose it.`;
      notice.hidden = false;
    },
    saved() {
      notice.hidden = true;
    },
  };
}

/** Saves on every learner edit and before the page goes away. */
export function saveOnEdits(saver: CodeSaver, doc: Document, onEdit: (listener: () => void) => void): void {
  onEdit(() => saver.schedule());
  addEventListener('pagehide', () => saver.flush());
  doc.addEventListener('visibilitychange', () => doc.visibilityState === 'hidden' && saver.flush());
}
