/**
 * The learner's name and student id on the lab page: a line saying who submissions are for, a
 * button to change them, and a dialog that asks for them (at the first download, or on request).
 */
import type { IdentityStore, StudentIdentity } from './identity.ts';

export interface IdentityPanel {
  /** The identity, asking for it first if none is stored; undefined if the learner cancels. */
  ensure(): Promise<StudentIdentity | undefined>;
}

export function mountIdentityPanel(root: HTMLElement, store: IdentityStore): IdentityPanel {
  const line = root.querySelector<HTMLElement>('[data-identity-text]')!;
  const dialog = root.querySelector<HTMLDialogElement>('[data-identity-dialog]')!;
  const form = dialog.querySelector('form')!;
  const name = form.querySelector<HTMLInputElement>('[name="student"]')!;
  const id = form.querySelector<HTMLInputElement>('[name="studentId"]')!;
  const error = form.querySelector<HTMLElement>('[data-identity-error]')!;
  let current = store.load();
  let answer: ((identity: StudentIdentity | undefined) => void) | undefined;

  const show = () => {
    line.textContent = current
      ? `Submissions you download are for ${current.name}${current.studentId ? ` (student id ${current.studentId})` : ''}.`
      : 'Your name and student id go into each submission you download; you are asked once.';
  };
  const ask = () =>
    new Promise<StudentIdentity | undefined>((resolve) => {
      answer = resolve;
      name.value = current?.name ?? '';
      id.value = current?.studentId ?? '';
      error.textContent = '';
      dialog.showModal();
    });
  const finish = (identity: StudentIdentity | undefined) => {
    const resolve = answer;
    answer = undefined;
    if (dialog.open) dialog.close();
    resolve?.(identity);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const saved = store.save(name.value, id.value);
    if (!saved.ok) {
      error.textContent = saved.error;
      name.focus();
      return;
    }
    current = saved.identity;
    show();
    finish(current);
  });
  form.querySelector('[data-identity-cancel]')!.addEventListener('click', () => finish(undefined));
  dialog.addEventListener('close', () => finish(undefined));
  root.querySelector('[data-identity-edit]')!.addEventListener('click', () => void ask());
  show();
  return { ensure: () => (current ? Promise.resolve(current) : ask()) };
}
