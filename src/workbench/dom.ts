/** Small DOM builders shared by the workbench's results panel and the labs' pictures. */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes and, optionally, text content (never parsed as HTML). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An SVG element with attributes and, optionally, text content. */
export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A table head with one column header per label. */
export function headRow(labels: readonly string[]): HTMLTableSectionElement {
  const head = element('thead');
  const row = element('tr');
  for (const label of labels) row.append(element('th', { scope: 'col' }, label));
  head.append(row);
  return head;
}

/** A plain object (not null, not an array): for checking attached data before drawing it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
