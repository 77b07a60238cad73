/** A small element builder for explorables' pictures and tables (text only, never HTML strings). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A table with a caption, a header row and body rows of text cells. */
export function textTable(caption: string, headers: readonly string[], rows: readonly (readonly string[])[], empty: string): HTMLTableElement {
  const body = rows.length
    ? rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell))))
    : [el('tr', {}, el('td', { colspan: String(headers.length) }, empty))];
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
    el('tbody', {}, ...body),
  );
}

/** A row of facts (term above value) for an explorable's state; `tone` marks a good or bad outcome. */
export function factList(facts: readonly ({ term: string; value: string; tone?: 'good' | 'bad' } | null)[]): HTMLDListElement {
  return el(
    'dl',
    { class: 'ex-facts' },
    ...facts.map((fact) => fact && el('div', fact.tone ? { class: `ex-${fact.tone}` } : {}, el('dt', {}, fact.term), el('dd', {}, fact.value))),
  );
}
