/** The file tabs above the editor: the lab's files, then the public tests (read-only); arrow keys move between them. */
import type { EditorSession } from './editor-session.ts';

export function mountFileTabs(tabList: HTMLElement, session: EditorSession): void {
  const doc = tabList.ownerDocument;
  const buttons = new Map<string, HTMLButtonElement>();
  const select = (path: string, focus = false) => {
    session.show(path);
    for (const [other, button] of buttons) {
      const selected = other === path;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    }
  };
  for (const path of session.paths) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'tab');
    button.dataset['path'] = path;
    button.textContent = session.editable.has(path) ? path : `${path} (read-only)`;
    button.addEventListener('click', () => select(path));
    tabList.append(button);
    buttons.set(path, button);
  }
  tabList.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const paths = [...buttons.keys()];
    const current = paths.findIndex((path) => buttons.get(path)!.getAttribute('aria-selected') === 'true');
    select(paths[(current + step + paths.length) % paths.length]!, true);
  });
  select(session.firstEditable);
}
