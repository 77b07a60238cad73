/**
 * Lesson 4's chroot-escape explorable in the page: the directories from the host's `/` down to
 * the confined tree with the attacker's root and working directory marked, each system call with
 * the kernel's answer, the jail's refusals and the audit events it logged (breaches marked), the
 * verdict, and the calls as a table. A whole run is a dozen system calls on a tiny tree, far
 * less than a frame, so it runs on the page without yielding or a worker.
 */
import { ERRNO_MEANINGS } from '../../sim/kernel/index.ts';
import { el, factList, textTable } from '../dom.ts';
import type { ExplorableModule, ExplorableRun, ExplorableSettings, ExplorableUpdate, ExplorableView } from '../types.ts';
import { CONFINEMENT_NAMES, CONFINEMENTS, DEFAULTS, ESCAPE_IDS, type Confinement, type EscapeId } from './options.ts';
import { EscapeSession, type EscapeSettings, type StepRecord } from './session.ts';

const chosen = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

export function settingsOf(settings: ExplorableSettings): EscapeSettings {
  return {
    seed: settings.seed,
    escape: chosen<EscapeId>(settings.choices['escape'], ESCAPE_IDS, DEFAULTS.escape),
    confinement: chosen<Confinement>(settings.choices['confinement'], CONFINEMENTS, DEFAULTS.confinement),
  };
}

/** The kernel's answer to one call, in words. */
export function answerOf(step: StepRecord): string {
  if (step.errno) return `refused: ${step.errno} (${ERRNO_MEANINGS[step.errno]})`;
  if (step.read === 'secret') return 'allowed: read the host’s secret';
  if (step.read === 'decoy') return 'allowed: read the jail’s own copy';
  if (step.call === 'chdir("..")' && !step.cwdMoved) return `allowed, but stayed at ${step.cwd}`;
  return 'allowed';
}

/** What the kernel's audit log says about one call: its events, breaches first. */
export function auditOf(step: StepRecord): string {
  if (step.breaches.length) return `breach: ${step.breaches.map((breach) => breach.reason).join('; ')}`;
  if (!step.audit.length) return 'nothing logged';
  return step.audit.map((event) => ('op' in event ? `${event.op} ` : `${event.kind} `) + ('hostPath' in event ? event.hostPath : '')).join('; ');
}

export function verdictOf(session: EscapeSession): { text: string; escaped: boolean } {
  const outcome = session.outcome!;
  if (outcome.escaped) {
    const how = outcome.secretRead ? 'root inside read the host’s secret' : 'root inside reached outside its tree';
    return { text: `Escaped: ${how}; the kernel’s audit lists ${outcome.breaches.length} breaches.`, escaped: true };
  }
  if (outcome.hostFileChanged) {
    return { text: `Stayed inside (no breach in the audit), but the host’s own script followed the planted link and overwrote the host’s ${session.world.secretPath}.`, escaped: false };
  }
  return { text: 'Stayed inside: the kernel’s audit shows no breach; root reached only its own tree.', escaped: false };
}

/** The directories on the way from `/` to the confined tree (and below), with root and cwd marked. */
function drawLadder(session: EscapeSession): HTMLElement {
  const { jailRoot } = session.world;
  const { root, cwd } = session.position;
  const parts = jailRoot.split('/').filter(Boolean);
  const ladder = ['/', ...parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`)];
  for (const path of [root, cwd]) if (!ladder.includes(path)) ladder.push(path);
  ladder.sort((a, b) => a.length - b.length);
  const inside = (path: string) => path === jailRoot || path.startsWith(`${jailRoot}/`);
  return el(
    'ul',
    { class: 'ec-ladder', 'aria-label': 'Directories from the host’s / down to the jail, with the attacker’s root and working directory' },
    ...ladder.map((path) =>
      el(
        'li',
        { class: `ec-dir ${inside(path) ? 'ec-inside' : 'ec-outside'}` },
        el('code', {}, path),
        ' ',
        el('span', { class: 'ec-where' }, inside(path) ? (path === jailRoot ? '(the jail’s top)' : '(inside the jail)') : '(host)'),
        path === root ? el('span', { class: 'ec-badge ec-root' }, 'root') : null,
        path === cwd ? el('span', { class: 'ec-badge ec-cwd' }, 'working directory') : null,
      ),
    ),
  );
}

function drawStep(step: StepRecord, current: boolean): HTMLElement {
  const bad = step.breaches.length > 0;
  const refused = step.errno !== null || step.refusals.length > 0;
  return el(
    'li',
    { class: `ec-step${bad ? ' ec-breach' : ''}${refused ? ' ec-refused' : ''}${current ? ' ec-current' : ''}` },
    el('span', { class: 'ec-who' }, `${step.actor}: `),
    el('code', {}, step.call),
    el('span', { class: 'ec-answer' }, ` → ${answerOf(step)}`),
    ...step.refusals.map((why) => el('span', { class: 'ec-note' }, `✋ ${why}`)),
    bad ? el('span', { class: 'ec-note' }, `⚠ audit: ${step.breaches.map((breach) => breach.reason).join('; ')}`) : null,
  );
}

function drawPicture(session: EscapeSession): HTMLElement {
  const { settings, world, steps, outcome } = session;
  const { root, cwd } = session.position;
  const facts = factList([
    { term: 'Confinement', value: CONFINEMENT_NAMES[settings.confinement] },
    { term: `Seed ${settings.seed}`, value: `jail at ${world.jailRoot}, secret in ${world.secretPath}` },
    { term: 'Attacker’s root', value: root },
    { term: 'Working directory', value: cwd },
    outcome ? { term: 'Result', value: verdictOf(session).text, tone: outcome.escaped || outcome.hostFileChanged ? 'bad' : 'good' } : null,
  ]);
  const calls = steps.length
    ? el('ol', { class: 'ec-steps', 'aria-label': 'System calls so far, with the kernel’s answers' }, ...steps.map((step, index) => drawStep(step, index === steps.length - 1)))
    : el('p', { class: 'ec-note' }, 'No system call yet: root is inside the jail’s tree, at its top.');
  return el(
    'div',
    { class: 'ec' },
    facts,
    el('p', { class: 'ec-label' }, 'The attacker’s root and working directory, from the host’s / down to the jail:'),
    drawLadder(session),
    el('p', { class: 'ec-label' }, 'System calls so far, with the kernel’s answers:'),
    calls,
  );
}

function drawTable(session: EscapeSession): HTMLTableElement {
  const { settings } = session;
  return textTable(
    `System calls under ${CONFINEMENT_NAMES[settings.confinement]}, seed ${settings.seed}`,
    ['#', 'Who', 'Call', 'Kernel’s answer', 'Jail’s rules', 'Root after', 'Working directory after', 'Audit log'],
    session.steps.map((step) => [
      String(step.number), step.actor, step.call, answerOf(step), step.refusals.join('; ') || '—', step.root, step.cwd, auditOf(step),
    ]),
    'No system call yet.',
  );
}

function describeStep(step: StepRecord): string {
  const parts = [`Call ${step.number}, ${step.actor}: ${step.call}, ${answerOf(step)}.`];
  if (step.refusals.length) parts.push(`${step.refusals.join('; ')}.`);
  parts.push(`Root ${step.root}, working directory ${step.cwd}.`);
  if (step.breaches.length) parts.push(`The audit log marks a breach: ${step.breaches.map((breach) => breach.reason).join('; ')}.`);
  return parts.join(' ');
}

function start(settings: ExplorableSettings, view: ExplorableView): ExplorableRun {
  const session = new EscapeSession(settingsOf(settings));
  const draw = (announcement: string): ExplorableUpdate => {
    view.picture.replaceChildren(drawPicture(session));
    view.table.replaceChildren(drawTable(session));
    return { finished: session.finished, announcement };
  };
  const { world } = session;
  const told = (step: StepRecord | null) => [step ? describeStep(step) : '', session.finished ? verdictOf(session).text : ''].filter(Boolean).join(' ');
  return {
    initial: draw(`Ready: root in ${CONFINEMENT_NAMES[session.settings.confinement]} at ${world.jailRoot}, seed ${session.settings.seed}.`),
    step: () => draw(told(session.step())),
    runToEnd: () => {
      session.runToEnd();
      return draw(`${session.steps.length} system calls. ${verdictOf(session).text}`);
    },
  };
}

export { start };
// The registry's loader must get a module of the framework's shape.
({ start }) satisfies ExplorableModule;
