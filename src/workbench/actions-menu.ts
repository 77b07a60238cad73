/**
 * The toolbar's "More" menu (a disclosure: a button that shows a list of buttons) for the
 * secondary actions, so the toolbar stays one line. Escape closes it and returns the focus.
 */
export function mountActionsMenu(root: HTMLElement): void {
  const toggle = root.querySelector<HTMLButtonElement>('[data-more]')!;
  const list = root.querySelector<HTMLElement>(`#${toggle.getAttribute('aria-controls')}`)!;
  const setOpen = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
  };
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
    if (open) list.querySelector<HTMLElement>('button:not([hidden]), input')?.focus();
  });
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    setOpen(false);
    toggle.focus();
  });
  // An action was chosen (a file picker's choice arrives later, as `change`), or the focus left.
  list.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('button')) setOpen(false);
  });
  list.addEventListener('change', () => setOpen(false));
  root.ownerDocument.addEventListener('click', (event) => {
    if (!toggle.contains(event.target as Node) && !list.contains(event.target as Node)) setOpen(false);
  });
  setOpen(false);
}
