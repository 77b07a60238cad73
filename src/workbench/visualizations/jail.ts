/**
 * The Jail lab's picture: for each public test, the escape attempts and legitimate actions it
 * tried (✓ as it should be, ✗ not), what the kernel recorded as breaches, the jail's subtree
 * inside the host's file tree (with anything the jail reached outside it marked), and the
 * processes and sockets as the kernel really had them.
 *
 * The data comes from the public tests (`attach('jail', { title, checks, world })` in
 * labs/jail/tests/public.ts, the world part made by `snapshot` in labs/jail/starter/world.ts);
 * every outcome in it was read from the simulated kernel's own state. Everything coloured also
 * carries a symbol and words.
 */

import { element, headRow, isRecord } from '../dom.ts';
import type { Attachment } from '../visualizations.ts';

type Place = 'jail' | 'neighbour' | 'host';

interface Check {
  what: string;
  expected: 'blocked' | 'works';
  ok: boolean;
  evidence: string;
}

interface Snapshot {
  jailRoot: string;
  neighbourRoot: string;
  secretPath: string;
  jailAddress: string;
  tree: { path: string; kind: string; place: Place; touchedByJail: boolean }[];
  processes: { pid: number; place: Place; name: string; state: string }[];
  sockets: { pid: number; place: Place; address: string | null; port: number | null }[];
  breaches: string[];
}

interface Picture {
  title: string;
  checks: Check[];
  world: Snapshot;
}

const STYLE = `
.jail-viz { color: var(--fg); }
.jail-viz table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
.jail-viz caption { text-align: start; font-weight: 600; padding-bottom: 0.25rem; }
.jail-viz th, .jail-viz td { border: 1px solid var(--border); padding: 0.2rem 0.45rem; text-align: start; vertical-align: top; }
.jail-viz th { background: var(--bg-alt); }
.jail-viz .ok { color: var(--ok); font-weight: 600; }
.jail-viz .bad { color: var(--bad); font-weight: 600; }
.jail-viz .evidence { font-family: var(--font-mono, monospace); font-size: 0.8rem; overflow-wrap: anywhere; max-width: 28rem; }
.jail-viz details { border: 1px solid var(--border); border-radius: 6px; margin: 0.6rem 0; padding: 0.4rem 0.7rem; background: var(--bg); }
.jail-viz summary { cursor: pointer; font-weight: 600; }
.jail-viz .panes { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.jail-viz .tree, .jail-viz .tree ul { list-style: none; margin: 0; padding-inline-start: 1.1rem; font-family: var(--font-mono, monospace); font-size: 0.82rem; }
.jail-viz .tree { padding-inline-start: 0; }
.jail-viz .tree li { border-inline-start: 1px solid var(--border); padding-inline-start: 0.4rem; }
.jail-viz .tree .jail-box { border: 2px solid var(--accent); border-radius: 4px; padding: 0.1rem 0.3rem 0.2rem 1.1rem; margin: 0.1rem 0; }
.jail-viz .tree .neighbour-box { border: 1px dashed var(--warn); border-radius: 4px; padding: 0.1rem 0.3rem 0.2rem 1.1rem; }
.jail-viz .tag { font-family: var(--font-sans, sans-serif); font-size: 0.75rem; margin-inline-start: 0.4rem; }
.jail-viz .tag.jail { color: var(--accent); font-weight: 600; }
.jail-viz .tag.neighbour { color: var(--warn); }
`;

export function visualize(target: HTMLElement, attachments: readonly Attachment[]): void {
  const pictures = attachments
    .filter((a) => a.name === 'jail')
    .map((a) => ({ test: a.test, picture: asPicture(a.data) }))
    .filter((p): p is { test: string; picture: Picture } => p.picture !== null);
  if (pictures.length === 0) return;
  const root = element('section', { class: 'jail-viz', 'aria-label': 'What the kernel saw in the public tests' });
  root.append(element('style', {}, STYLE));
  root.append(element('h3', {}, 'What the kernel saw'));
  root.append(summaryTable(pictures));
  for (const { test, picture } of pictures) root.append(testDetails(test, picture));
  target.append(root);
}

function summaryTable(pictures: readonly { test: string; picture: Picture }[]): HTMLElement {
  const table = element('table');
  table.append(element('caption', {}, 'Each test: escape attempts blocked, legitimate actions that worked, breaches the kernel recorded'));
  table.append(headRow(['Test', 'Escapes blocked', 'Legitimate actions working', 'Breaches recorded']));
  const body = element('tbody');
  for (const { picture } of pictures) {
    const attempts = picture.checks.filter((c) => c.expected === 'blocked');
    const legit = picture.checks.filter((c) => c.expected === 'works');
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, picture.title));
    row.append(countCell(attempts), countCell(legit));
    const breaches = picture.world.breaches.length;
    row.append(element('td', { class: breaches === 0 ? 'ok' : 'bad' }, breaches === 0 ? '✓ none' : `✗ ${breaches}`));
    body.append(row);
  }
  table.append(body);
  return table;
}

function countCell(checks: readonly Check[]): HTMLElement {
  if (checks.length === 0) return element('td', {}, '—');
  const good = checks.filter((c) => c.ok).length;
  const all = good === checks.length;
  return element('td', { class: all ? 'ok' : 'bad' }, `${all ? '✓' : '✗'} ${good} of ${checks.length}`);
}

function testDetails(test: string, picture: Picture): HTMLElement {
  const allOk = picture.checks.every((c) => c.ok) && picture.world.breaches.length === 0;
  const details = element('details', allOk ? {} : { open: '' });
  details.append(element('summary', {}, `${allOk ? '✓' : '✗'} ${picture.title} (${test})`));
  details.append(checksTable(picture.checks));
  if (picture.world.breaches.length > 0) {
    details.append(element('p', { class: 'bad' }, '✗ The kernel recorded the jail reaching outside:'));
    const list = element('ul');
    for (const [breach, count] of countRepeats(picture.world.breaches)) list.append(element('li', {}, count > 1 ? `${breach} (×${count})` : breach));
    details.append(list);
  }
  const panes = element('div', { class: 'panes' });
  panes.append(treePane(picture.world), processPane(picture.world));
  details.append(panes);
  return details;
}

/** Each distinct text with how many times it occurs, in order of first occurrence. */
function countRepeats(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return counts;
}

function checksTable(checks: readonly Check[]): HTMLElement {
  const table = element('table');
  table.append(element('caption', {}, 'Attempts and actions'));
  table.append(headRow(['Attempt or action', 'Should be', 'Outcome', 'What the kernel returned']));
  const body = element('tbody');
  for (const check of checks) {
    const row = element('tr');
    row.append(element('td', {}, check.what));
    row.append(element('td', {}, check.expected === 'blocked' ? 'blocked' : 'working'));
    const outcome = check.expected === 'blocked' ? (check.ok ? '✓ blocked' : '✗ not blocked') : (check.ok ? '✓ works' : '✗ refused');
    row.append(element('td', { class: check.ok ? 'ok' : 'bad' }, outcome));
    row.append(element('td', { class: 'evidence' }, check.evidence));
    body.append(row);
  }
  table.append(body);
  return table;
}

interface TreeNode {
  name: string;
  path: string;
  kind: string;
  touched: boolean;
  children: Map<string, TreeNode>;
}

function treePane(world: Snapshot): HTMLElement {
  const pane = element('div');
  pane.append(element('h4', {}, 'The jail inside the host\'s file tree'));
  pane.append(element('p', {}, `The jail's root is ${world.jailRoot} (framed); "✗ reached from the jail" marks host files the jail used.`));
  const top: TreeNode = { name: '/', path: '/', kind: 'dir', touched: false, children: new Map() };
  for (const entry of world.tree) {
    if (entry.path === '/') top.touched = top.touched || entry.touchedByJail;
    let node = top;
    let path = '';
    const parts = entry.path.split('/').filter(Boolean);
    parts.forEach((part, i) => {
      path += `/${part}`;
      let child = node.children.get(part);
      if (child === undefined) {
        child = { name: part, path, kind: 'dir', touched: false, children: new Map() };
        node.children.set(part, child);
      }
      if (i === parts.length - 1) {
        child.kind = entry.kind;
        child.touched = child.touched || entry.touchedByJail;
      }
      node = child;
    });
  }
  const list = element('ul', { class: 'tree', 'aria-label': 'File tree' });
  list.append(treeItem(top, world));
  pane.append(list);
  return pane;
}

function treeItem(node: TreeNode, world: Snapshot): HTMLElement {
  const item = element('li');
  const isJailRoot = node.path === world.jailRoot;
  const isNeighbourRoot = node.path === world.neighbourRoot;
  const inside = (root: string) => node.path === root || node.path.startsWith(`${root}/`);
  const suffix = node.kind === 'dir' && node.path !== '/' ? '/' : node.kind === 'device' ? ' (device)' : node.kind === 'symlink' ? ' (symlink)' : '';
  item.append(document.createTextNode(`${node.name}${suffix}`));
  if (isJailRoot) item.append(element('span', { class: 'tag jail' }, '◆ jail root'));
  if (isNeighbourRoot) item.append(element('span', { class: 'tag neighbour' }, 'neighbour jail'));
  if (node.path === world.secretPath) item.append(element('span', { class: 'tag' }, '(host secret)'));
  if (node.touched && !inside(world.jailRoot)) item.append(element('span', { class: 'tag bad' }, '✗ reached from the jail'));
  if (node.children.size > 0) {
    const children = element('ul', isJailRoot ? { class: 'jail-box' } : isNeighbourRoot ? { class: 'neighbour-box' } : {});
    const sorted = [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const child of sorted) children.append(treeItem(child, world));
    item.append(children);
  }
  return item;
}

function processPane(world: Snapshot): HTMLElement {
  const pane = element('div');
  pane.append(element('h4', {}, 'Processes and sockets'));
  const processes = element('table');
  processes.append(element('caption', {}, 'Processes (as the kernel has them)'));
  processes.append(headRow(['pid', 'Context', 'Name', 'State']));
  const body = element('tbody');
  for (const p of world.processes) {
    const row = element('tr');
    row.append(element('td', {}, String(p.pid)), element('td', {}, placeName(p.place)), element('td', {}, p.name), element('td', {}, p.state));
    body.append(row);
  }
  processes.append(body);
  pane.append(processes);
  if (world.sockets.length > 0) {
    const sockets = element('table');
    sockets.append(element('caption', {}, 'Sockets (the addresses really bound)'));
    sockets.append(headRow(['pid', 'Context', 'Bound to']));
    const socketBody = element('tbody');
    for (const s of world.sockets) {
      const row = element('tr');
      const wildcard = s.address === '0.0.0.0';
      const foreign = s.place === 'jail' && s.address !== null && s.address !== world.jailAddress;
      const bound = s.address === null ? 'not bound' : `${s.address}:${s.port ?? '?'}${wildcard ? ' (every address)' : ''}`;
      row.append(element('td', {}, String(s.pid)), element('td', {}, placeName(s.place)));
      row.append(element('td', foreign ? { class: 'bad' } : {}, foreign ? `✗ ${bound}, not the jail's address` : bound));
      socketBody.append(row);
    }
    sockets.append(socketBody);
    pane.append(sockets);
  }
  return pane;
}

function placeName(place: Place): string {
  return place === 'jail' ? 'the jail' : place === 'neighbour' ? 'neighbour jail' : 'host';
}

// ------------------------------------------------------------------ checking the attached data

function isPlace(value: unknown): value is Place {
  return value === 'jail' || value === 'neighbour' || value === 'host';
}

function asPicture(data: unknown): Picture | null {
  if (!isRecord(data) || typeof data.title !== 'string' || !Array.isArray(data.checks) || !isRecord(data.world)) return null;
  const checks: Check[] = [];
  for (const c of data.checks) {
    if (!isRecord(c) || typeof c.what !== 'string' || typeof c.ok !== 'boolean' || (c.expected !== 'blocked' && c.expected !== 'works')) return null;
    checks.push({ what: c.what, expected: c.expected, ok: c.ok, evidence: typeof c.evidence === 'string' ? c.evidence : '' });
  }
  const w = data.world;
  if (typeof w.jailRoot !== 'string' || !Array.isArray(w.tree) || !Array.isArray(w.processes) || !Array.isArray(w.sockets) || !Array.isArray(w.breaches)) return null;
  return {
    title: data.title,
    checks,
    world: {
      jailRoot: w.jailRoot,
      neighbourRoot: typeof w.neighbourRoot === 'string' ? w.neighbourRoot : '',
      secretPath: typeof w.secretPath === 'string' ? w.secretPath : '',
      jailAddress: typeof w.jailAddress === 'string' ? w.jailAddress : '',
      tree: w.tree.filter(isRecord).filter((t) => typeof t.path === 'string' && t.path.startsWith('/'))
        .map((t) => ({ path: t.path as string, kind: String(t.kind), place: isPlace(t.place) ? t.place : 'host', touchedByJail: t.touchedByJail === true })),
      processes: w.processes.filter(isRecord)
        .map((p) => ({ pid: Number(p.pid), place: isPlace(p.place) ? p.place : 'host', name: String(p.name), state: String(p.state) })),
      sockets: w.sockets.filter(isRecord).map((s) => ({
        pid: Number(s.pid), place: isPlace(s.place) ? s.place : 'host',
        address: typeof s.address === 'string' ? s.address : null, port: typeof s.port === 'number' ? s.port : null,
      })),
      breaches: w.breaches.filter((b): b is string => typeof b === 'string'),
    },
  };
}
