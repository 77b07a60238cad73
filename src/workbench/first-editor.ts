/**
 * The learner's code in a plain text area from the first paint, while Monaco (about 0.7 MB of
 * script for the main thread to parse) loads: on a student's laptop the code is readable and
 * editable a second or two sooner. Edits are saved like the editor's. When Monaco is ready it
 * takes over the text, the selection, the scroll position and the focus, and the text area goes;
 * only the text area's own undo history is not carried over.
 */
import type { EditorSession } from './editor-session.ts';

export interface FirstEditor {
  /** The text as the learner has it now. */
  text(): string;
  /** Gives the editor the selection, scroll position and focus, and removes the text area. */
  handOver(session: EditorSession): void;
}

export function showFirstEditor(host: HTMLElement, options: { text: string; label: string; onEdit: () => void }): FirstEditor {
  const area = host.ownerDocument.createElement('textarea');
  area.className = 'first-editor';
  area.dataset['firstEditor'] = '';
  area.value = options.text;
  area.spellcheck = false;
  area.setAttribute('autocapitalize', 'off');
  area.setAttribute('autocomplete', 'off');
  area.setAttribute('aria-label', `${options.label} (plain text until the full editor has loaded)`);
  area.addEventListener('input', options.onEdit);
  host.append(area);
  return {
    text: () => area.value,
    handOver(session) {
      const { editor } = session;
      const model = editor.getModel();
      if (model) {
        const start = model.getPositionAt(area.selectionStart);
        const end = model.getPositionAt(area.selectionEnd);
        editor.setSelection({ startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column });
      }
      editor.setScrollTop(area.scrollTop);
      const hadFocus = host.ownerDocument.activeElement === area;
      area.remove();
      if (hadFocus) editor.focus();
    },
  };
}
