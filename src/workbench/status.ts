/**
 * The workbench's one status line (a polite live region): what just happened, in one sentence or
 * two, then a short note about the page itself (whether type checking is ready yet). Each part has
 * its own element, so a new message never erases the note and a screen reader hears only the part
 * that changed.
 */
export type Say = (text: string) => void;

export interface StatusLine {
  /** What just happened. Clears a note given `untilNextMessage` (it has been seen by then). */
  say: Say;
  /** A note after the message, kept until replaced, or until the next message if `untilNextMessage`. */
  note(text: string, options?: { untilNextMessage?: boolean }): void;
}

export function statusLine(element: HTMLElement): StatusLine {
  const doc = element.ownerDocument;
  const message = doc.createElement('span');
  const note = doc.createElement('span');
  message.dataset['statusMessage'] = '';
  note.dataset['statusNote'] = '';
  element.replaceChildren(message, note);
  let noteEndsWithMessage = false;
  // The line has a fixed height so it never moves the editor; the whole text is also its tooltip.
  const retitle = () => (element.title = (element.textContent ?? '').trim());
  return {
    say(text) {
      message.textContent = text;
      if (noteEndsWithMessage) note.textContent = '';
      retitle();
    },
    note(text, { untilNextMessage = false } = {}) {
      // The leading space separates it from the message; at the start of the line it collapses.
      note.textContent = text ? ` ${text}` : '';
      noteEndsWithMessage = untilNextMessage;
      retitle();
    },
  };
}
