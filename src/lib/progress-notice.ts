/** Tells the learner, once per page, that damaged saved progress was found and reset. */
import type { ProgressStore } from './progress.ts';

export function reportProgressProblems(store: ProgressStore, doc: Document = document): void {
  if (store.problems.length === 0 || doc.querySelector('[data-progress-problems]')) return;
  const notice = doc.createElement('div');
  notice.className = 'notice';
  notice.setAttribute('role', 'alert');
  notice.dataset['progressProblems'] = '';
  const list = doc.createElement('ul');
  for (const problem of new Set(store.problems)) {
    const item = doc.createElement('li');
    item.textContent = problem;
    list.append(item);
  }
  const intro = doc.createElement('p');
  intro.textContent = 'Some saved progress could not be read. The rest is safe.';
  notice.append(intro, list);
  (doc.querySelector('main') ?? doc.body).prepend(notice);
}
