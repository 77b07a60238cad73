/**
 * Lab 4's code-page view: each kernel code page as the learner's scanner saw it. Every
 * instruction is listed with its address; the ones the scanner marked carry ✱ and say whether
 * they ran as callouts, and a silent sensitive instruction it left unmarked carries ✗. A strip
 * of squares above the listing shows where on the page the marks fall (decoration: the listing
 * says the same in words).
 */
import { element, headRow, isRecord } from '../../dom.ts';

/** One scanned page as public.ts attaches it. */
export interface CodePage {
  address: number;
  /** The page's instructions up to its last nonzero word, disassembled. */
  instructions: string[];
  /** Addresses the scanner marked (those the hypervisor keeps). */
  marked: number[];
}

/** The instructions that are sensitive but do not trap on the x86-like CPU (the lab's four). */
const SILENT_SENSITIVE = /^(pushf|popf|rdmode|rdptb)\b/;

export const CODE_PAGE_STYLE = `
.pg-code .strip { display: grid; grid-template-columns: repeat(auto-fill, 9px); gap: 1px; max-width: 100%; margin: 0.3rem 0; }
.pg-code .strip span { width: 9px; height: 9px; background: var(--bg-alt); border: 1px solid var(--border); box-sizing: border-box; }
.pg-code .strip span.marked { background: var(--accent); border-color: var(--accent); }
.pg-code .strip span.missed { background: var(--bad); border-color: var(--bad); }
.pg-code .listing { max-height: 18rem; overflow: auto; }
.pg-code tr.marked td { background: var(--bg-alt); }
.pg-code tr.missed td { color: var(--bad); font-weight: 600; }
.pg-code code { font-family: var(--font-mono, monospace); font-size: 0.85rem; }
`;

type RowKind = 'marked' | 'missed' | 'direct';

function hex(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/** What a row says about its instruction, in words. */
function rowStatus(kind: RowKind, ran: boolean): string {
  if (kind === 'marked') return ran ? '\u2731 marked, ran as a callout' : '\u2731 marked, never reached';
  if (kind === 'missed') return '\u2717 silent sensitive, not marked';
  return '';
}

/** The most rows the one-line summary names; the listing has them all. */
const NAMED_ROWS = 12;

/** The marked and the missed instructions in one line, so they need not be hunted for in the listing. */
function notableRows(rows: ReadonlyArray<{ address: number; text: string; kind: RowKind; ran: boolean }>): string {
  const notable = rows.filter((r) => r.kind !== 'direct');
  if (notable.length === 0) return 'Nothing on this page is intercepted: every instruction runs directly.';
  const named = notable.slice(0, NAMED_ROWS).map((r) => `${hex(r.address)} ${r.text} (${rowStatus(r.kind, r.ran)})`);
  return `Intercepted or missed: ${named.join('; ')}${notable.length > NAMED_ROWS ? `; and ${notable.length - NAMED_ROWS} more in the listing` : ''}.`;
}

/** A figure for one page: a summary, the strip and the listing. */
export function codePageFigure(approach: string, page: CodePage, ranAsCallout: ReadonlySet<number>): HTMLElement {
  const marked = new Set(page.marked);
  const rows = page.instructions.map((text, i) => {
    const address = page.address + 4 * i;
    const kind: RowKind = marked.has(address) ? 'marked' : SILENT_SENSITIVE.test(text) ? 'missed' : 'direct';
    return { address, text, kind, ran: ranAsCallout.has(address) };
  });
  const markedRows = rows.filter((r) => r.kind === 'marked');
  const missed = rows.filter((r) => r.kind === 'missed').length;
  const ran = markedRows.filter((r) => r.ran).length;
  const figure = element('figure', { class: 'pg-code' });
  const summary = `Kernel code page ${hex(page.address)} \u2014 ${approach}: ${rows.length} instructions, ${markedRows.length} marked (${ran} ran as callouts), ${missed} silent sensitive left unmarked`;
  figure.append(element('figcaption', {}, summary));
  figure.append(element('p', {}, 'Each square is one instruction, in address order: \u2731 filled in the accent colour where the scanner marked it, \u2717 in red where a silent sensitive instruction was left unmarked.'));
  figure.append(element('p', {}, notableRows(rows)));
  const strip = element('div', { class: 'strip', 'aria-hidden': 'true' });
  for (const row of rows) strip.append(element('span', row.kind === 'direct' ? {} : { class: row.kind }));
  figure.append(strip);
  const listing = element('div', { class: 'listing scroll', role: 'region', tabindex: '0', 'aria-label': `Instructions of page ${hex(page.address)}` });
  const table = element('table');
  table.append(element('caption', {}, `Every instruction of page ${hex(page.address)}`));
  table.append(headRow(['Address', 'Instruction', 'Intercepted']));
  const body = element('tbody');
  for (const row of rows) {
    const tr = element('tr', row.kind === 'direct' ? {} : { class: row.kind });
    tr.append(element('td', {}, hex(row.address)));
    const cell = element('td');
    cell.append(element('code', {}, row.text));
    tr.append(cell);
    tr.append(element('td', {}, rowStatus(row.kind, row.ran)));
    body.append(tr);
  }
  table.append(body);
  listing.append(table);
  figure.append(listing);
  return figure;
}

/** Attached pages, checked; anything malformed is left out. */
export function asCodePages(data: unknown): CodePage[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((page): CodePage[] => {
    if (!isRecord(page) || typeof page.address !== 'number' || !Array.isArray(page.instructions) || !Array.isArray(page.marked)) return [];
    const instructions = page.instructions.filter((t): t is string => typeof t === 'string');
    const marked = page.marked.filter((a): a is number => typeof a === 'number');
    return [{ address: page.address, instructions, marked }];
  });
}
