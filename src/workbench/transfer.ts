/**
 * Submissions in and out: "Download submission" writes the grader's format with the learner's
 * name and id (asked once, see identity-panel.ts); "Import submission…" reads one back, refusing
 * files over the grader's size limit before reading them.
 */
import type { LabManifest } from '../../grader/core/lab-format.ts';
import { downloadText } from '../lib/download.ts';
import type { EditorSession } from './editor-session.ts';
import type { History } from './history.ts';
import type { StudentIdentity } from './identity.ts';
import type { CodeSaver } from './saving.ts';
import type { Say } from './status.ts';
import { createSubmission, readSubmission, refuseBySize, submissionFileName } from './submission.ts';

export interface TransferOptions {
  manifest: LabManifest;
  session: EditorSession;
  saver: CodeSaver;
  history: History;
  say: Say;
  /** The learner's identity, asked for if not known yet; undefined if they declined. */
  identity: () => Promise<StudentIdentity | undefined>;
}

/** Writes the submission file of the code now in the editor (also when saving fails). */
export function downloadSubmission(manifest: LabManifest, session: Pick<EditorSession, 'files'>, identity: StudentIdentity | undefined, say: Say): void {
  const now = new Date();
  const fileName = submissionFileName(manifest, now, identity);
  downloadText(fileName, JSON.stringify(createSubmission(manifest, session.files(), now, identity), null, 2));
  say(`Downloaded ${fileName}${identity ? ` for ${identity.name}` : ''}. Hand this file in to your instructor.`);
}

export function mountTransfer(root: HTMLElement, options: TransferOptions): void {
  const { manifest, session, saver, history, say } = options;
  root.querySelector('[data-download]')!.addEventListener('click', async () => {
    saver.saveNow();
    const identity = await options.identity();
    if (!identity) {
      say('Not downloaded: a submission carries your name, so your instructor knows whose it is. Download again to give it.');
      return;
    }
    downloadSubmission(manifest, session, identity, say);
  });

  root.querySelector<HTMLInputElement>('[data-import]')!.addEventListener('change', async (event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const tooBig = refuseBySize(file.name, file.size);
    const imported = tooBig === undefined ? readSubmission(manifest, await file.text()) : ({ ok: false, error: tooBig } as const);
    if (!imported.ok) {
      say(`Import refused: ${imported.error}`);
      return;
    }
    const { undoLabel, stored } = history.replace({ ...session.files(), ...imported.files }, 'import');
    const warning = imported.warning ? ` ${imported.warning}` : '';
    say(stored ? `Imported ${file.name}.${warning} “${undoLabel}” brings back what you had.` : `Imported ${file.name} into the editor, but it could not be saved in this browser; see the warning.${warning}`);
  });
}
