/**
 * The instructions/editor divider: drag it, or focus it and use the arrow keys. Where the learner
 * leaves it is remembered per lab in this browser.
 */
import type { StorageLike } from '../lib/progress.ts';

const KEY_PREFIX = 'virtlab.split.v1.';
const MIN = 20;
const MAX = 70;

export function mountDivider(root: HTMLElement, labId: string, storage: StorageLike): void {
  const divider = root.querySelector<HTMLElement>('[data-resizer]')!;
  const key = KEY_PREFIX + labId;
  const set = (percent: number, remember: boolean) => {
    const clamped = Math.min(MAX, Math.max(MIN, Math.round(percent)));
    root.style.setProperty('--instructions-width', `${clamped}%`);
    divider.setAttribute('aria-valuenow', String(clamped));
    if (!remember) return;
    try {
      storage.setItem(key, String(clamped));
    } catch {
      /* not remembered: the divider still works for this visit */
    }
  };
  let saved: number | undefined;
  try {
    const raw = storage.getItem(key);
    saved = raw === null ? undefined : Number(raw);
  } catch {
    saved = undefined;
  }
  if (saved !== undefined && Number.isFinite(saved)) set(saved, false);

  divider.addEventListener('keydown', (event) => {
    const now = Number(divider.getAttribute('aria-valuenow'));
    if (event.key === 'ArrowLeft') set(now - 5, true);
    else if (event.key === 'ArrowRight') set(now + 5, true);
    else return;
    event.preventDefault();
  });
  divider.addEventListener('pointerdown', (event) => {
    divider.setPointerCapture(event.pointerId);
    const bounds = root.getBoundingClientRect();
    const move = (moveEvent: PointerEvent) => set(((moveEvent.clientX - bounds.left) / bounds.width) * 100, true);
    divider.addEventListener('pointermove', move);
    divider.addEventListener('pointerup', () => divider.removeEventListener('pointermove', move), { once: true });
  });
}
