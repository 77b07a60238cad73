/**
 * Replacing the learner's code and taking it back: Reset to the starter, code from an older
 * version of the lab, and (for the import controller) an imported submission. The undo button
 * names the action it takes back and survives a reload, until the learner edits again.
 */
import type { LoadedCode, LabFiles } from './autosave.ts';
import type { EditorSession } from './editor-session.ts';
import type { CodeSaver } from './saving.ts';
import type { Say } from './status.ts';

/** How each replacement is named on the undo button and in messages. */
const ACTION_NAMES: Record<string, string> = { reset: 'reset', import: 'import', older: 'loading older code' };

export interface History {
  /** Puts `files` in the editor and storage; returns the undo button's name, and whether it was stored. */
  replace(files: LabFiles, action: keyof typeof ACTION_NAMES): { undoLabel: string; stored: boolean };
}

export function mountHistory(
  root: HTMLElement,
  options: { session: EditorSession; saver: CodeSaver; starter: LabFiles; loaded: LoadedCode; version: number; say: Say },
): History {
  const { session, saver, say } = options;
  const undoButton = root.querySelector<HTMLButtonElement>('[data-undo]')!;
  const showUndo = (action: string | undefined) => {
    undoButton.hidden = action === undefined;
    undoButton.textContent = `Undo ${ACTION_NAMES[action ?? 'reset'] ?? action}`;
  };
  showUndo(options.loaded.canUndoReset ? options.loaded.undoAction : undefined);
  // The learner's own edit: undoing the last replacement would now throw it away, so it is gone.
  session.onLearnerEdit(() => showUndo(undefined));

  const replace: History['replace'] = (files, action) => {
    const replaced = session.files();
    session.replace(files);
    const stored = saver.replace(session.files(), replaced, action);
    showUndo(action);
    return { undoLabel: undoButton.textContent ?? '', stored };
  };

  root.querySelector('[data-reset]')!.addEventListener('click', () => {
    const { undoLabel, stored } = replace(options.starter, 'reset');
    if (stored) say(`Reset to the starter code. “${undoLabel}” brings your code back.`);
  });
  undoButton.addEventListener('click', () => {
    const restored = saver.undo();
    showUndo(undefined);
    if (!restored) return;
    session.replace(restored);
    say('Your code is back.');
  });
  mountOlderCode(root, options.loaded, options.version, replace, say, session);
  return { replace };
}

/** Code saved for an older version of the lab is offered, never dropped. */
function mountOlderCode(root: HTMLElement, loaded: LoadedCode, version: number, replace: History['replace'], say: Say, session: EditorSession): void {
  const box = root.querySelector<HTMLElement>('[data-older]')!;
  const older = loaded.older;
  if (!older) return;
  box.hidden = false;
  root.querySelector('[data-older-text]')!.textContent =
    `This lab changed (now version ${version}). You have code from version ${older.version}, saved ${older.savedAt.slice(0, 16).replace('T', ' ')}. It is kept either way.`;
  root.querySelector('[data-older-load]')!.addEventListener('click', () => {
    const { undoLabel, stored } = replace({ ...session.files(), ...older.files }, 'older');
    box.hidden = true;
    if (stored) say(`Loaded your code from version ${older.version}. “${undoLabel}” brings back what you had; the starter is one Reset away.`);
  });
  root.querySelector('[data-older-dismiss]')!.addEventListener('click', () => (box.hidden = true));
}
