/** The workbench's one status line (a polite live region): what just happened, in one sentence or two. */
export type Say = (text: string) => void;

export function statusLine(element: HTMLElement): Say {
  return (text) => {
    element.textContent = text;
    // The line has a fixed height so it never moves the editor; the whole text is also its tooltip.
    element.title = text;
  };
}
