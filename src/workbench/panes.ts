/**
 * The phone layout: Instructions, Editor and Results as tabs (ARIA tabs: arrow keys, Home, End),
 * one pane shown at a time. On a wide screen all three are side by side and the tabs are hidden;
 * the tab roles are only given while the tabs are in use.
 */
export const NARROW_QUERY = '(max-width: 63.99rem)';

export interface Panes {
  show(pane: string, focus?: boolean): void;
  /** Whether the tabs are in use (a narrow screen). */
  narrow(): boolean;
}

export function mountPanes(root: HTMLElement): Panes {
  const tabList = root.querySelector<HTMLElement>('[data-pane-tabs]')!;
  const tabs = [...tabList.querySelectorAll<HTMLButtonElement>('[data-pane-tab]')];
  const panel = (tab: HTMLButtonElement) => root.querySelector<HTMLElement>(`#${tab.getAttribute('aria-controls')}`)!;
  const media = matchMedia(NARROW_QUERY);

  const show = (pane: string, focus = false) => {
    root.dataset['pane'] = pane;
    for (const tab of tabs) {
      const selected = tab.dataset['paneTab'] === pane;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
  };
  const applyRoles = () => {
    for (const tab of tabs) {
      const target = panel(tab);
      if (media.matches) {
        target.setAttribute('role', 'tabpanel');
        target.setAttribute('aria-labelledby', tab.id);
      } else {
        target.removeAttribute('role');
        target.removeAttribute('aria-labelledby');
      }
    }
  };
  for (const tab of tabs) tab.addEventListener('click', () => show(tab.dataset['paneTab']!));
  tabList.addEventListener('keydown', (event) => {
    const current = tabs.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
    const next =
      event.key === 'ArrowRight' ? (current + 1) % tabs.length
      : event.key === 'ArrowLeft' ? (current - 1 + tabs.length) % tabs.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? tabs.length - 1
      : -1;
    if (next < 0) return;
    event.preventDefault();
    show(tabs[next]!.dataset['paneTab']!, true);
  });
  media.addEventListener('change', applyRoles);
  applyRoles();
  show(root.dataset['pane'] ?? 'instructions');
  return { show, narrow: () => media.matches };
}
