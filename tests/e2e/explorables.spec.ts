/**
 * Explorables in real Chromium. Lesson 5's trap-and-emulate explorable driven as a learner would
 * (prediction, CPU, seed, Step / Run / Reset, by mouse and by keyboard), its picture and table
 * read back and compared with the simulator's own figures for the same guest and seed; its lazy
 * loading, the prediction kept in the learner's progress, legibility at 360 px and axe in both
 * colour schemes after a run. Lesson 3's pre-copy explorable driven the same way (settings by
 * mouse and keyboard, Step one round / Run / Reset), its rounds compared with the simulator's.
 * Lesson 4's chroot-escape explorable stepped and run under both confinements, its calls compared
 * with the isolation kernel's for the same seed.
 * Lesson 1's where-the-cycles-go explorable: a mix chosen by keyboard, its table compared with the
 * same comparison made in Node (the native kernel on the simulator, the VMs' recorded figures).
 * Lesson 6's fair-shares explorable: stepped and run with the idle VM chosen by keyboard, its
 * windows compared with the simulator's round robin run in Node.
 * Lesson 7's two-dimensional-walk explorable: levels chosen by mouse and keyboard, the walk
 * stepped cell by cell and run, its tables compared with the same session run in Node.
 */
import { expect, test, type Locator, type Page, type Worker as PageWorker } from '@playwright/test';
import { TrapAndEmulateSession } from '../../src/explorables/trap-and-emulate/session.ts';
import { GUEST_MEMORY_BYTES, guestProgram } from '../../src/explorables/trap-and-emulate/guest.ts';
import { Machine, type CpuConfig } from '../../src/sim/index.ts';
import { PROGRESS_SCHEMA_VERSION } from '../../src/lib/progress.ts';
import { PreCopySession, type PreCopySettings } from '../../src/explorables/pre-copy/session.ts';
import { DEFAULTS as PRE_COPY_DEFAULTS, HOT_PAGES } from '../../src/explorables/pre-copy/options.ts';
import { STOP_RULES } from '../../src/explorables/pre-copy/view.ts';
import { EscapeSession, type EscapeSettings } from '../../src/explorables/escape-chroot/session.ts';
import { answerOf, auditOf, verdictOf } from '../../src/explorables/escape-chroot/view.ts';
import { ConsolidationSession, stateOf as consolidationState, type ConsolidationSettings } from '../../src/explorables/consolidation/session.ts';
import { DEFAULTS as CONSOLIDATION_DEFAULTS } from '../../src/explorables/consolidation/options.ts';
import { hostRow, percent, summary as consolidationSummary, watts } from '../../src/explorables/consolidation/view.ts';
import { mixById } from '../../src/explorables/where-cycles-go/options.ts';
import { compare } from '../../src/explorables/where-cycles-go/comparison.ts';
import { NativeRun } from '../../src/explorables/where-cycles-go/session.ts';
import { summary as cyclesSummary, tableCells as cycleCells } from '../../src/explorables/where-cycles-go/view.ts';
import { FairSharesSession } from '../../src/explorables/fair-shares/session.ts';
import type { IdleChoice } from '../../src/explorables/fair-shares/options.ts';
import { describeWindow, summary as sharesSummary, windowRow } from '../../src/explorables/fair-shares/view.ts';
import { WalkSession, type WalkSettings } from '../../src/explorables/two-dimensional-walk/session.ts';
import { formula, simulatorCells, summary as walkSummary, walkCells } from '../../src/explorables/two-dimensional-walk/view.ts';
import { axeViolations } from './axe.ts';

const LESSON = '/lessons/05-hypervisors/';
const PREDICTION_KEY = `virtlab.progress.v${PROGRESS_SCHEMA_VERSION}.prediction.trap-and-emulate`;

function simulated(cpu: CpuConfig, seed: number) {
  const session = new TrapAndEmulateSession(cpu, seed);
  session.runToEnd();
  const bare = new Machine({ cpu, memoryBytes: GUEST_MEMORY_BYTES });
  bare.load(guestProgram());
  bare.run({ maxInstructions: 1000 });
  return { session, bareOutput: bare.console.output };
}

/** Opens an explorable's lesson and waits until the explorable says it is ready. */
async function openExplorable(page: Page, lesson = LESSON, id = 'trap-and-emulate'): Promise<Locator> {
  await page.goto(lesson);
  const explorable = page.locator(`[data-explorable="${id}"]`);
  await explorable.scrollIntoViewIfNeeded();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready/);
  return explorable;
}

const fact = (explorable: Locator, term: string) => explorable.locator('.ex-facts div', { has: explorable.page().locator('dt', { hasText: term }) }).locator('dd');
const tableRows = (explorable: Locator) => explorable.locator('[data-part="table"] tbody tr');

/** The font size of every visible text in the explorable. */
function textSizes(explorable: Locator): Promise<{ px: number; text: string }[]> {
  return explorable.evaluate((root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const found: { px: number; text: string }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (!node.textContent?.trim() || parent.getClientRects().length === 0) continue;
      found.push({ px: parseFloat(getComputedStyle(parent).fontSize), text: node.textContent.trim().slice(0, 30) });
    }
    return found;
  });
}

test('loads only when the learner scrolls to it', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => void (request.resourceType() === 'script' && scripts.push(request.url())));
  await page.goto(LESSON, { waitUntil: 'networkidle' });
  const explorable = page.locator('[data-explorable="trap-and-emulate"]');
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/loads when you scroll here/);
  await expect(explorable.locator('.tae-timeline')).toHaveCount(0);
  const before = scripts.length;
  await explorable.scrollIntoViewIfNeeded();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready/);
  expect(scripts.length, 'scrolling to it loaded its code').toBeGreaterThan(before);
});

test('stepping on the virtualizable CPU shows each exit, and popf exits and is emulated as on bare hardware', async ({ page }) => {
  const { session, bareOutput } = simulated('virtualizable', 42);
  const explorable = await openExplorable(page);
  await expect(explorable.locator('[data-part="seed"]')).toHaveValue('42');
  await expect(tableRows(explorable)).toHaveText([/No exits yet/]);
  const explanation = explorable.locator('[data-part="explanation"]');
  await expect(explanation).toBeHidden();

  const step = explorable.getByRole('button', { name: 'Step to the next exit' });
  for (const [index, exit] of session.exits.entries()) {
    await step.click();
    await expect(tableRows(explorable)).toHaveCount(index + 1);
    const cells = tableRows(explorable).nth(index).locator('td');
    await expect(cells.nth(2)).toHaveText(exit.instruction);
    await expect(cells.nth(3)).toHaveText(exit.kind);
    await expect(cells.nth(4)).toHaveText(exit.action);
    await expect(explorable.locator('[data-part="live"]')).toContainText(`Exit ${exit.number} at`);
    await expect(explorable.locator('.tae-current')).toContainText(exit.instruction);
  }
  await expect(step).toBeDisabled();
  await expect(explorable.locator('[data-part="live"]')).toContainText(`${session.exits.length} exits`);
  await expect(explorable.locator('[data-part="live"]')).toContainText('the same');
  await expect(fact(explorable, 'VM printed')).toHaveText(`“${session.output}”`);
  expect(session.output).toBe(bareOutput);
  await expect(explorable.locator('.tae-line', { hasText: 'popf' })).toHaveClass(/tae-exit/);
  await expect(explanation).toBeVisible();
});

test('on the x86-like CPU popf runs with no exit and the output differs from bare hardware; chosen by keyboard', async ({ page }) => {
  const { session, bareOutput } = simulated('x86-like', 42);
  expect(session.output).not.toBe(bareOutput);
  const explorable = await openExplorable(page);
  const virtualizable = explorable.getByRole('radio', { name: /^virtualizable/ });
  await virtualizable.focus();
  await page.keyboard.press('ArrowDown'); // radio groups move with arrow keys
  await expect(explorable.getByRole('radio', { name: /^x86-like/ })).toBeChecked();
  await expect(explorable.locator('[data-part="live"]')).toContainText('x86-like CPU, seed 42');

  await explorable.locator('[data-part="seed"]').focus();
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Step to the next exit' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Run to the end' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(tableRows(explorable)).toHaveCount(session.exits.length);
  await expect(tableRows(explorable).locator('td:nth-child(3)')).toHaveText(session.exits.map((exit) => exit.instruction));
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('Exits on the x86-like CPU, seed 42');
  await expect(fact(explorable, 'VM printed')).toHaveText(`“${session.output}”`);
  await expect(fact(explorable, 'Bare hardware prints')).toHaveText(`“${bareOutput}”`);
  await expect(fact(explorable, 'Result')).toHaveText('different from bare hardware');
  const popf = explorable.locator('.tae-line', { hasText: 'popf' });
  await expect(popf).toHaveClass(/tae-silent/);
  await expect(popf).toContainText('no exit');
  await expect(explorable.locator('[data-part="live"]')).toContainText(`The VM printed “${session.output}”; bare hardware prints “${bareOutput}”: different.`);

  // Reset starts the same run again from the beginning.
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/No exits yet/]);
  await expect(fact(explorable, 'VM printed')).toHaveText('(nothing yet)');
});

test('the seed is on the page, chooses the host frames, and a bad one is refused with a message', async ({ page }) => {
  const explorable = await openExplorable(page);
  const seed = explorable.locator('[data-part="seed"]');
  await expect(fact(explorable, 'Seed 42')).toHaveText(`host frame ${new TrapAndEmulateSession('virtualizable', 42).codeHostFrame}`);
  await seed.fill('7');
  await seed.press('Enter');
  await seed.blur();
  await expect(fact(explorable, 'Seed 7')).toHaveText(`host frame ${new TrapAndEmulateSession('virtualizable', 7).codeHostFrame}`);
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('Exits on the virtualizable CPU, seed 7');
  await seed.fill('forty-two');
  await seed.blur();
  await expect(seed).toHaveAttribute('aria-invalid', 'true');
  await expect(explorable.locator('[data-part="seed-error"]')).toHaveText(/whole number/);
});

test('the prediction is kept with the progress: predicted, then ran, and shown again after a reload', async ({ page }) => {
  const explorable = await openExplorable(page);
  const zero = explorable.getByRole('radio', { name: /^0:/ });
  await zero.check();
  const saved = () => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { choice: string; ranAt?: string } | null, PREDICTION_KEY);
  expect(await saved()).toMatchObject({ choice: 'zero' });
  expect((await saved())?.ranAt).toBeUndefined();
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);
  expect((await saved())?.ranAt).toEqual(expect.any(String));

  await page.reload();
  await expect(page.locator('[data-explorable="trap-and-emulate"]').getByRole('radio', { name: /^0:/ })).toBeChecked();
  await expect(page.locator('[data-explorable="trap-and-emulate"] [data-part="prediction-note"]')).toHaveText(/run it since/);

  // The progress page lists it in the learner's words: the experiment, its lesson, the question and answer, predicted then ran.
  const title = (await explorable.locator('h3').innerText()).replace(/^Try it: /, '');
  const question = (await explorable.locator('[data-part="predict"] > legend').innerText()).replace(/^1\. Predict\.\s*/, '');
  const answer = (await zero.locator('xpath=..').innerText()).trim();
  const lessonTitle = await page.locator('article.lesson h1').innerText();
  await page.goto('/progress/');
  const row = page.locator('[data-progress-prediction="trap-and-emulate"]');
  await expect(row.locator('th')).toHaveText(`${title}, in ${lessonTitle}`);
  await expect(row.locator('td').first()).toHaveText(`${question}${answer}`);
  await expect(row.locator('td').nth(1)).toHaveText(/^Predicted \d{4}-\d\d-\d\d; ran it \d{4}-\d\d-\d\d to see$/);
  expect(await axeViolations(page, 'progress page with a prediction')).toEqual([]);
  await row.getByRole('link', { name: lessonTitle }).click();
  await expect(page).toHaveURL(/\/lessons\/05-hypervisors\/#explore-trap-and-emulate-title$/);
});

test('the progress page says when there is no prediction yet', async ({ page }) => {
  await page.goto('/progress/');
  await expect(page.locator('[data-predictions] tr')).toHaveText(['No predictions yet.']);
});


// ---------------------------------------------------------------- lesson 3: pre-copy migration

const PRE_COPY_LESSON = '/lessons/03-why-not/';

function migrated(overrides: Partial<PreCopySettings> = {}) {
  const session = new PreCopySession({ seed: 42, ...PRE_COPY_DEFAULTS, hotPages: null, ...overrides });
  session.runToEnd();
  return session;
}
const count = (value: number) => value.toLocaleString('en-US');
const millis = (value: number) => `${value.toFixed(1)} ms`;
const roundCells = (session: PreCopySession) =>
  session.rounds.map((round) => [round.stopped ? 'Stop-and-copy' : `Round ${round.number}`, count(round.pagesSent), millis(round.ms), round.stopped ? '(VM stopped)' : count(round.pagesDirtied)]);

function openPreCopy(page: Page): Promise<Locator> {
  return openExplorable(page, PRE_COPY_LESSON, 'pre-copy');
}

async function tableCells(explorable: Locator): Promise<string[][]> {
  return tableRows(explorable).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
}

test('pre-copy: stepping round by round at the default settings converges, and picture and table show the simulator\'s rounds', async ({ page }) => {
  const session = migrated();
  const record = session.record!;
  const explorable = await openPreCopy(page);
  await expect(explorable.locator('[data-part="seed"]')).toHaveValue('42');
  await expect(tableRows(explorable)).toHaveText([/No rounds yet/]);
  await explorable.getByRole('radio', { name: /^Fewer than 50 pages/ }).check();

  const step = explorable.getByRole('button', { name: 'Step one round' });
  for (const [index, round] of session.rounds.entries()) {
    await step.click();
    await expect(tableRows(explorable)).toHaveCount(index + 1);
    await expect(explorable.locator('[data-part="live"]')).toContainText(`sent ${count(round.pagesSent)} pages in ${millis(round.ms)}`);
  }
  await expect(step).toBeDisabled();
  expect(await tableCells(explorable)).toEqual(roundCells(session));
  await expect(explorable.locator('.pc-round')).toHaveCount(session.rounds.length);
  await expect(explorable.locator('.pc-round').last()).toHaveClass(/pc-final/);
  await expect(explorable.locator('.pc-round').first()).toContainText(`Round 1: sent ${count(session.pageCount)} pages`);
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES['few-dirty']);
  await expect(fact(explorable, 'Downtime')).toHaveText(millis(record.downtimeMs!));
  await expect(fact(explorable, 'Total migration time')).toHaveText(millis(record.totalMs!));
  await expect(explorable.locator('[data-part="live"]')).toContainText(`Downtime ${millis(record.downtimeMs!)}, total migration time ${millis(record.totalMs!)}`);
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);
});

test('pre-copy: a guest that writes faster than the link, chosen by keyboard, is ended by the 3 × cap with a long pause', async ({ page }) => {
  const session = migrated({ writesPerSecond: 40_000 });
  const explorable = await openPreCopy(page);
  await explorable.getByRole('radio', { name: '10,000' }).focus();
  await page.keyboard.press('ArrowRight'); // radio groups move with arrow keys
  await expect(explorable.getByRole('radio', { name: '40,000' })).toBeChecked();
  await expect(explorable.locator('[data-part="live"]')).toContainText('40,000 page writes a second spread over all memory, seed 42');

  await explorable.locator('[data-part="seed"]').focus();
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Step one round' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  expect(session.stopReason).toBe('sent-cap');
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES['sent-cap']);
  await expect(tableRows(explorable)).toHaveCount(session.rounds.length);
  expect(await tableCells(explorable)).toEqual(roundCells(session));
  await expect(fact(explorable, 'Downtime')).toHaveText(millis(session.record!.downtimeMs!));
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('Rounds for 64 MiB over 100 MB/s, seed 42');

  // Reset starts the same settings again from the beginning.
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/No rounds yet/]);
  await expect(explorable.locator('.pc-round')).toHaveCount(0);
});

test('pre-copy: the seed, the memory size, the link and a hot set each change the run as the simulator does', async ({ page }) => {
  const explorable = await openPreCopy(page);
  await explorable.getByRole('radio', { name: '16 MiB' }).check();
  await explorable.getByRole('radio', { name: '40,000' }).check();
  await explorable.getByRole('radio', { name: /hot pages/ }).check();
  const seed = explorable.locator('[data-part="seed"]');
  await seed.fill('7');
  await seed.press('Enter');
  await expect(explorable.locator('[data-part="live"]')).toContainText('16 MiB over 100 MB/s, 40,000 page writes a second 90 % into 1,024 hot pages, seed 7');
  const live = explorable.locator('[data-part="live"]');
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(live).toHaveText(/^Finished/); // the worker has answered
  const hot = migrated({ seed: 7, memoryMiB: 16, writesPerSecond: 40_000, hotPages: HOT_PAGES });
  expect(await tableCells(explorable)).toEqual(roundCells(hot));
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES[hot.stopReason!]);

  await explorable.getByRole('radio', { name: '1000 MB/s' }).check();
  await expect(live).toHaveText(/^Ready: .* over 1000 MB\/s/);
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(live).toHaveText(/^Finished/);
  const fast = migrated({ seed: 7, memoryMiB: 16, bandwidthMBps: 1000, writesPerSecond: 40_000, hotPages: HOT_PAGES });
  expect(await tableCells(explorable)).toEqual(roundCells(fast));
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES['few-dirty']);
});

test('pre-copy: a Reset while Run to the end is under way wins: the replaced run draws nothing more', async ({ page }) => {
  const explorable = await openPreCopy(page);
  await explorable.getByRole('radio', { name: /hot pages/ }).check();
  await explorable.getByRole('radio', { name: '40,000' }).check(); // 31 rounds: a run long enough to be replaced mid-way
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready.*40,000/);
  await explorable.evaluate((root) => {
    root.querySelector<HTMLButtonElement>('[data-part="run"]')!.click();
    root.querySelector<HTMLButtonElement>('[data-part="reset"]')!.click();
  });
  await page.waitForTimeout(500); // long enough for the replaced run to have finished
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready/);
  await expect(tableRows(explorable)).toHaveText([/No rounds yet/]);
  await expect(explorable.getByRole('button', { name: 'Run to the end' })).toBeEnabled();
});

test('a worker that cannot load says so and what to do, instead of waiting for ever', async ({ page }) => {
  await page.route(/\/_astro\/worker-[\w-]+\.js$/, (route) => route.abort());
  await page.goto(PRE_COPY_LESSON);
  const explorable = page.locator('[data-explorable="pre-copy"]');
  await explorable.scrollIntoViewIfNeeded();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^The simulator could not be loaded \(its Web Worker failed.*\)\. Reload the page to try again\.$/);

  // Where the cycles go draws its first state without the worker: Run says the worker failed.
  await page.goto(CYCLES_LESSON);
  const cycles = page.locator('[data-explorable="where-cycles-go"]');
  await cycles.scrollIntoViewIfNeeded();
  await expect(cycles.locator('[data-part="live"]')).toHaveText(/^Ready/);
  await cycles.getByRole('button', { name: 'Run to the end' }).click();
  await expect(cycles.locator('[data-part="live"]')).toHaveText(/^The simulator stopped \(its Web Worker failed.*\)\. Press Reset to start again\.$/);
});

// ---------------------------------------------------------------- lesson 4: escape the chroot

const ISOLATION_LESSON = '/lessons/04-os-level-isolation/';

function escaped(overrides: Partial<EscapeSettings> = {}) {
  const session = new EscapeSession({ seed: 42, escape: 'fchdir', confinement: 'chroot', ...overrides });
  session.runToEnd();
  return session;
}
const callCells = (session: EscapeSession) =>
  session.steps.map((step) => [String(step.number), step.actor, step.call, answerOf(step), step.refusals.join('; ') || '—', step.root, step.cwd, auditOf(step)]);

test('escape-chroot: stepping the fchdir escape out of a plain chroot shows each call, root and cwd as the kernel has them', async ({ page }) => {
  const session = escaped();
  const explorable = await openExplorable(page, ISOLATION_LESSON, 'escape-chroot');
  await expect(tableRows(explorable)).toHaveText([/No system call yet/]);
  await expect(fact(explorable, 'Seed 42')).toHaveText(`jail at ${session.world.jailRoot}, secret in ${session.world.secretPath}`);
  await expect(fact(explorable, 'Working directory')).toHaveText(session.world.jailRoot);
  await explorable.getByRole('radio', { name: /^Out of the plain chroot, but not out of the jail/ }).check();

  const step = explorable.getByRole('button', { name: 'Step one system call' });
  for (const [index, call] of session.steps.entries()) {
    await step.click();
    await expect(tableRows(explorable)).toHaveCount(index + 1);
    await expect(explorable.locator('[data-part="live"]')).toContainText(`Call ${call.number}, jailed root: ${call.call}, ${answerOf(call)}.`);
    await expect(fact(explorable, 'Working directory')).toHaveText(call.cwd);
    await expect(fact(explorable, 'Attacker’s root')).toHaveText(call.root);
  }
  await expect(step).toBeDisabled();
  expect(await tableCells(explorable)).toEqual(callCells(session));
  expect(session.outcome!.escaped).toBe(true);
  await expect(fact(explorable, 'Result')).toHaveText(verdictOf(session).text);
  await expect(explorable.locator('.ec-breach')).toHaveCount(session.steps.filter((call) => call.breaches.length > 0).length);
  await expect(explorable.locator('.ec-dir', { hasText: 'working directory' })).toContainText('/');
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);
});

test('escape-chroot: the jail, chosen by keyboard, stops the same climb at its root; mknod is refused; Reset starts again', async ({ page }) => {
  const explorable = await openExplorable(page, ISOLATION_LESSON, 'escape-chroot');
  await explorable.getByRole('radio', { name: 'plain chroot', exact: true }).focus();
  await page.keyboard.press('ArrowDown'); // radio groups move with arrow keys
  await expect(explorable.getByRole('radio', { name: /^a minimal jail/ })).toBeChecked();
  await expect(explorable.locator('[data-part="live"]')).toContainText('Ready: root in a minimal jail');
  await explorable.locator('[data-part="seed"]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Run to the end' })).toBeFocused();
  await page.keyboard.press('Enter');
  const jailed = escaped({ confinement: 'jail' });
  expect(jailed.outcome!.escaped).toBe(false);
  expect(await tableCells(explorable)).toEqual(callCells(jailed));
  await expect(fact(explorable, 'Result')).toHaveText(verdictOf(jailed).text);
  await expect(explorable.locator('.ec-step', { hasText: 'the jail kept “..”' })).toHaveCount(1);

  await explorable.getByRole('radio', { name: /^mknod/ }).check();
  const seed = explorable.locator('[data-part="seed"]');
  await seed.fill('7');
  await seed.press('Enter');
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const mknod = escaped({ seed: 7, escape: 'mknod', confinement: 'jail' });
  expect(await tableCells(explorable)).toEqual(callCells(mknod));
  await expect(tableRows(explorable).first()).toContainText('EPERM');
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText(/seed 7$/);

  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/No system call yet/]);
  await expect(explorable.getByRole('button', { name: 'Run to the end' })).toBeEnabled();
});

test('escape-chroot: the planted link gets root nothing, but the host script overwrites its own file', async ({ page }) => {
  const explorable = await openExplorable(page, ISOLATION_LESSON, 'escape-chroot');
  await explorable.getByRole('radio', { name: /^plant a symbolic link/ }).check();
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const session = escaped({ escape: 'symlink' });
  expect(await tableCells(explorable)).toEqual(callCells(session));
  await expect(tableRows(explorable).nth(1)).toContainText('read the jail’s own copy');
  await expect(tableRows(explorable).last()).toContainText('host rc script');
  await expect(fact(explorable, 'Result')).toHaveText(/^Stayed inside \(no breach in the audit\), but the host’s own script/);
});

// ---------------------------------------------------------------- lesson 2: consolidation

const CONSOLIDATION_LESSON = '/lessons/02-why-virtualize/';

function consolidated(overrides: Partial<ConsolidationSettings> = {}) {
  const session = new ConsolidationSession({ seed: 42, headroom: CONSOLIDATION_DEFAULTS.headroomPercent / 100, host: CONSOLIDATION_DEFAULTS.host, ...overrides });
  session.runToEnd();
  return session;
}
const hostCells = (session: ConsolidationSession) => session.hosts().map((host) => hostRow(consolidationState(session), host));

test('consolidation: step and run at the starting settings; hosts, utilization and power are the simulator\'s', async ({ page }) => {
  const session = consolidated();
  const before = session.before();
  const after = session.after();
  const bound = session.averagesBound();
  const explorable = await openExplorable(page, CONSOLIDATION_LESSON, 'consolidation');
  await expect(explorable.locator('[data-part="live"]')).toContainText(`${session.servers.length} servers (seed 42)`);
  await expect(fact(explorable, 'Averages say at least')).toHaveText(`${bound.hosts} hosts (CPU ${bound.cpu}, memory ${bound.memory})`);
  await expect(tableRows(explorable)).toHaveText([/No hosts yet/]);
  await explorable.getByRole('radio', { name: /^More:/ }).check();

  await explorable.getByRole('button', { name: 'Place the next server' }).click();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(`Host 1 switched on for ${session.servers[0]!.id}, the first server.`);
  await expect(fact(explorable, 'Servers placed')).toHaveText(`1 of ${session.servers.length}`);
  await expect(explorable.locator('.cn-host')).toHaveCount(1);

  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(consolidationSummary(consolidationState(session)));
  expect(after.machines).toBeGreaterThan(bound.hosts); // the lesson's "more"
  await expect(fact(explorable, 'Hosts switched on')).toHaveText(String(after.machines));
  await expect(fact(explorable, 'Machines')).toHaveText(`${before.machines} → ${after.machines}`);
  await expect(fact(explorable, 'Memory utilization')).toHaveText(`${percent(before.memoryUtilization)} → ${percent(after.memoryUtilization)}`);
  await expect(fact(explorable, 'Mean power')).toHaveText(`${watts(before.watts)} → ${watts(after.watts)}`);
  await expect(fact(explorable, 'Replicas sharing a host')).toHaveText(String(session.replicasSharing()));
  await expect(explorable.locator('.cn-host')).toHaveCount(after.machines);
  await expect(explorable.locator('.cn-host svg polyline')).toHaveCount(2 * after.machines);
  expect(await tableCells(explorable)).toEqual(hostCells(session));
  // The servers column is the simulator's list of VMs on each host.
  expect((await tableCells(explorable)).map((row) => row[1])).toEqual(session.hosts().map((host) => host.load.vms.join(', ')));
  await expect(explorable.getByRole('button', { name: 'Place the next server' })).toBeDisabled();
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);
});

test('consolidation: small hosts chosen by keyboard and seed 2024: CPU peaks decide, and servers above the line alone are marked', async ({ page }) => {
  const session = consolidated({ seed: 2024, host: 'small' });
  const explorable = await openExplorable(page, CONSOLIDATION_LESSON, 'consolidation');
  await explorable.getByRole('radio', { name: '16 cores, 64 GiB' }).focus();
  await page.keyboard.press('ArrowLeft'); // radio groups move with arrow keys
  await expect(explorable.getByRole('radio', { name: '8 cores, 32 GiB' })).toBeChecked();
  const seed = explorable.locator('[data-part="seed"]');
  await seed.fill('2024');
  await seed.press('Enter');
  await expect(explorable.locator('[data-part="live"]')).toContainText('26 servers (seed 2024) to place on hosts of 8 cores and 32 GiB');
  await seed.focus();
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Place the next server' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  await expect(explorable.locator('[data-part="live"]')).toHaveText(consolidationSummary(consolidationState(session)));
  expect(await tableCells(explorable)).toEqual(hostCells(session));
  const alone = session.steps.filter((step) => step.overHeadroom).length;
  expect(alone).toBeGreaterThan(0);
  await expect(explorable.locator('.cn-over')).toHaveCount(alone);
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('Hosts of 8 cores and 32 GiB, 10\u00a0% headroom, seed 2024');

  // Reset places nothing again; more headroom needs at least as many hosts.
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/No hosts yet/]);
  await expect(explorable.locator('.cn-host')).toHaveCount(0);
  await explorable.getByRole('radio', { name: '30 %' }).check();
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const roomier = consolidated({ seed: 2024, host: 'small', headroom: 0.3 });
  await expect(fact(explorable, 'Hosts switched on')).toHaveText(String(roomier.hostIds.length));
  expect(roomier.hostIds.length).toBeGreaterThanOrEqual(session.hostIds.length);
  expect(await tableCells(explorable)).toEqual(hostCells(roomier));
});

// ---------------------------------------------------------------- lesson 1: where the cycles go

const CYCLES_LESSON = '/lessons/01-what-is-virtualization/';

/** The same comparison the page makes, in Node: the native kernel run on the simulator, the VMs' recorded figures. */
function comparedMix(id: string) {
  const mix = mixById(id);
  return compare(mix, new NativeRun(mix).runToEnd());
}

test('where the cycles go: the calibration mix by default, then a mix chosen by keyboard, picture and table as the simulator measures', async ({ page }) => {
  const explorable = await openExplorable(page, CYCLES_LESSON, 'where-cycles-go');
  await expect(tableRows(explorable)).toHaveText([/Nothing yet/]);
  await explorable.getByRole('radio', { name: /^Paravirtualization, then binary translation/ }).check();
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const calibration = comparedMix('calibration');
  await expect(explorable.locator('[data-part="live"]')).toHaveText(cyclesSummary(calibration));
  expect(await tableCells(explorable)).toEqual(cycleCells(calibration));
  await expect(fact(explorable, 'Recorded VM figures')).toHaveText(/^fit this simulator/);
  await expect(explorable.locator('.wcg-row')).toHaveCount(4);
  await expect(explorable.locator('.wcg-band-xen')).toContainText('Paravirtualization');
  await expect(explorable.locator('.wcg-band-full-virtualization')).toHaveCount(2);
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);

  // A system call every thousand instructions: every approach far above its band.
  await explorable.getByRole('radio', { name: /^Calibration/ }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(explorable.getByRole('radio', { name: /^System-call-heavy/ })).toBeChecked();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready: the system-call-heavy mix/);
  await explorable.getByRole('button', { name: 'Run to the end' }).focus();
  await page.keyboard.press('Enter');
  const syscalls = comparedMix('syscalls');
  await expect(explorable.locator('[data-part="live"]')).toHaveText(cyclesSummary(syscalls));
  expect(await tableCells(explorable)).toEqual(cycleCells(syscalls));
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('Busy cycles, system-call-heavy mix, seed 42');
  await expect(explorable.locator('.wcg-band-above')).toHaveCount(2);

  // Reset shows the same mix again, not yet run.
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/Nothing yet/]);
  await expect(explorable.locator('.wcg-row')).toHaveCount(0);
});

test('where the cycles go runs in its own Web Worker, which Reset stops even mid-run; the next run answers', async ({ page }) => {
  const workers: PageWorker[] = [];
  page.on('worker', (worker) => void workers.push(worker));
  const explorable = await openExplorable(page, CYCLES_LESSON, 'where-cycles-go');
  await expect.poll(() => workers.length, 'the run has its worker as soon as it is ready').toBe(1);
  const first = workers[0]!;
  expect(new URL(first.url()).pathname).toMatch(/\/_astro\/worker-[\w-]+\.js$/);
  const firstClosed = new Promise<void>((resolve) => first.on('close', () => resolve()));

  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await firstClosed;
  await expect.poll(() => workers.length, 'the new run has a new worker').toBe(2);
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready: the calibration mix/);
  await expect(tableRows(explorable), 'nothing of the stopped run is drawn').toHaveText([/Nothing yet/]);

  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(cyclesSummary(comparedMix('calibration')));
});

test('under a sub-path the explorable\'s worker loads from there and the run answers', async ({ page }) => {
  const SUB_PATH = 'http://127.0.0.1:4322/courses/virtlab';
  const workers: PageWorker[] = [];
  page.on('worker', (worker) => void workers.push(worker));
  const explorable = await openExplorable(page, `${SUB_PATH}${CYCLES_LESSON}`, 'where-cycles-go');
  await expect.poll(() => workers.length).toBe(1);
  expect(workers[0]!.url()).toMatch(/^http:\/\/127\.0\.0\.1:4322\/courses\/virtlab\/_astro\/worker-[\w-]+\.js$/);
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(cyclesSummary(comparedMix('calibration')));
});

// ---------------------------------------------------------------- lesson 6: fair shares

const SHARES_LESSON = '/lessons/06-hypervisor-tradeoffs/';

function shared(idle: IdleChoice, seed = 42) {
  const session = new FairSharesSession({ seed, idle });
  session.runToEnd();
  return session;
}
const windowCells = (session: FairSharesSession) => session.windows.map((window) => windowRow(session, window));

test('fair shares: a step, then db idle chosen by keyboard and run; every window is the simulator\'s round robin', async ({ page }) => {
  const explorable = await openExplorable(page, SHARES_LESSON, 'fair-shares');
  await expect(explorable.locator('[data-part="live"]')).toHaveText('Ready: web, db and batch, all busy, on 2 physical CPUs under round robin; web goes idle at 2,000\u00a0ms; seed 42.');
  await expect(tableRows(explorable)).toHaveText([/Nothing yet/]);
  await explorable.getByRole('radio', { name: /^About 67/ }).check();

  const webIdle = shared('web');
  await explorable.getByRole('button', { name: 'Run the next 250 ms' }).click();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(describeWindow(webIdle, webIdle.windows[0]!));
  expect(await tableCells(explorable)).toEqual(windowCells(webIdle).slice(0, 1));

  await explorable.getByRole('radio', { name: 'web', exact: true }).focus();
  await page.keyboard.press('ArrowRight'); // radio groups move with arrow keys
  await expect(explorable.getByRole('radio', { name: 'db', exact: true })).toBeChecked();
  await expect(explorable.locator('[data-part="live"]')).toContainText('db goes idle at 2,000');
  await explorable.locator('[data-part="seed"]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Run to the end' })).toBeFocused();
  await page.keyboard.press('Enter');

  const dbIdle = shared('db');
  await expect(explorable.locator('[data-part="live"]')).toHaveText(sharesSummary(dbIdle));
  expect(await tableCells(explorable)).toEqual(windowCells(dbIdle));
  await expect(explorable.locator('[data-part="table"] caption')).toHaveText('CPU per window in percent of one physical CPU, round robin on 2 physical CPUs, db idle from 2,000\u00a0ms, seed 42');
  await expect(explorable.locator('.fs-vm')).toHaveCount(3);
  await expect(explorable.locator('.fs-vm svg polyline')).toHaveCount(6);
  await expect(explorable.locator('.fs-vm').nth(1)).toContainText('Idle: got 0\u00a0%, entitled 0\u00a0%.');
  await expect(explorable.getByRole('button', { name: 'Run the next 250 ms' })).toBeDisabled();
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);

  // Reset starts the same settings again, nothing run.
  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/Nothing yet/]);
  await expect(explorable.getByRole('radio', { name: 'db', exact: true })).toBeChecked();
});

// ---------------------------------------------------------------- lesson 7: the two-dimensional walk

const WALK_LESSON = '/lessons/07-full-virtualization/';

function walked(settings: WalkSettings) {
  const session = new WalkSession(settings);
  session.runToEnd();
  return session;
}
/** The cells of the n-th table of the explorable's table alternative (the walk, then the simulator's figures). */
function nthTableCells(explorable: Locator, index: number): Promise<string[][]> {
  return explorable
    .locator('[data-part="table"] table')
    .nth(index)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
}

test('two-dimensional walk: the simulator\'s 2 × 2 case stepped reference by reference, each cell lit in order, then the simulator\'s cost of a miss', async ({ page }) => {
  const session = walked({ seed: 42, guestLevels: 2, nestedLevels: 2 });
  const explorable = await openExplorable(page, WALK_LESSON, 'two-dimensional-walk');
  await expect(fact(explorable, 'Nested paging')).toHaveText(formula(4, 4));
  await explorable.getByRole('radio', { name: /^4, 24 and 4/ }).check();
  await explorable.getByRole('group', { name: 'Levels of the guest’s page tables (n)' }).getByRole('radio', { name: '2' }).check();
  await explorable.getByRole('group', { name: 'Levels of the hypervisor’s nested tables (m)' }).getByRole('radio', { name: '2' }).check();
  await expect(explorable.locator('[data-part="live"]')).toHaveText('Ready: 2 guest levels and 2 nested levels, seed 42.');
  await expect(fact(explorable, 'Nested paging')).toHaveText(formula(2, 2));
  await expect(explorable.locator('.tw-cell:not(.tw-none)')).toHaveCount(8);
  await expect(explorable.locator('.tw-none')).toHaveCount(1);
  await expect(tableRows(explorable)).toHaveText([/No reference yet/]);

  const step = explorable.getByRole('button', { name: 'Step one memory reference' });
  for (const [index, reference] of session.references.entries()) {
    await step.click();
    await expect(explorable.locator('.tw-cell.tw-current')).toHaveText(String(reference.number));
    await expect(explorable.locator('.tw-cell.tw-read')).toHaveCount(index);
    await expect(fact(explorable, 'References so far')).toHaveText(`${index + 1} of 8`);
    expect(await nthTableCells(explorable, 0)).toEqual(walkCells(session.references.slice(0, index + 1), 2));
    if (index < 7) await expect(explorable.locator('[data-part="live"]')).toHaveText(`Reference ${reference.number} of 8: ${reference.text}.`);
  }
  await expect(step).toBeDisabled();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(walkSummary(session));
  expect(await nthTableCells(explorable, 1)).toEqual(simulatorCells(session));
  const measured = session.measured!;
  await expect(fact(explorable, 'Bare hardware, measured here')).toHaveText(`${measured.misses} misses, ${measured.walkCycles.toLocaleString('en-US')} cycles of walks: ${measured.costs.tlbMiss} a miss`);
  await expect(fact(explorable, 'Nested paging (nestedTlbMiss)')).toContainText(`${measured.costs.nestedTlbMiss} cycles a miss`);
  await expect(explorable.locator('[data-part="explanation"]')).toBeVisible();
  await expect(explorable.locator('[data-part="prediction-note"]')).toHaveText(/run it since/);
});

test('two-dimensional walk: three nested levels chosen by keyboard, seed 7, run to the end; Reset starts the walk again', async ({ page }) => {
  const session = walked({ seed: 7, guestLevels: 4, nestedLevels: 3 });
  const explorable = await openExplorable(page, WALK_LESSON, 'two-dimensional-walk');
  await explorable.getByRole('group', { name: 'Levels of the hypervisor’s nested tables (m)' }).getByRole('radio', { name: '4' }).focus();
  await page.keyboard.press('ArrowLeft'); // radio groups move with arrow keys
  await expect(explorable.getByRole('group', { name: 'Levels of the hypervisor’s nested tables (m)' }).getByRole('radio', { name: '3' })).toBeChecked();
  const seed = explorable.locator('[data-part="seed"]');
  await seed.fill('7');
  await seed.press('Enter');
  await expect(explorable.locator('[data-part="live"]')).toHaveText('Ready: 4 guest levels and 3 nested levels, seed 7.');
  await seed.focus();
  await page.keyboard.press('Tab');
  await expect(explorable.getByRole('button', { name: 'Step one memory reference' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  expect(session.references).toHaveLength(19);
  await expect(explorable.locator('[data-part="live"]')).toHaveText(walkSummary(session));
  expect(await nthTableCells(explorable, 0)).toEqual(walkCells(session.references, 4));
  expect(await nthTableCells(explorable, 1)).toEqual(simulatorCells(session));
  await expect(explorable.locator('[data-part="table"] table').nth(1).locator('caption')).toContainText('seed 7');
  await expect(explorable.locator('.tw-cell.tw-current')).toHaveText('19');
  await expect(explorable.locator('.tw-cell.tw-read')).toHaveCount(18);

  await explorable.getByRole('button', { name: 'Reset' }).click();
  await expect(tableRows(explorable)).toHaveText([/No reference yet/]);
  await expect(explorable.locator('.tw-cell.tw-read, .tw-cell.tw-current')).toHaveCount(0);
  await expect(explorable.locator('.tw-sim')).toHaveCount(0);
});

// ---------------------------------------------------------------- every explorable: phone and axe

/** Each explorable driven through a run that shows all it can (picture and table open). */
const SHOWN_RUNS = [
  {
    id: 'trap-and-emulate', lesson: LESSON, minTexts: 50,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: /^x86-like/ }).check();
      await expect(explorable.locator('[data-part="live"]')).toContainText('x86-like CPU');
      await explorable.getByRole('button', { name: 'Step to the next exit' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
    },
  },
  {
    id: 'consolidation', lesson: CONSOLIDATION_LESSON, minTexts: 60,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: '8 cores, 32 GiB' }).check();
      await explorable.getByRole('button', { name: 'Place the next server' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
      await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Done/);
    },
  },
  {
    id: 'where-cycles-go', lesson: CYCLES_LESSON, minTexts: 40,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: /^Page-table-heavy/ }).check();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
      await expect(explorable.locator('.wcg-row')).toHaveCount(4);
      await explorable.locator('details.how summary').click();
    },
  },
  {
    id: 'two-dimensional-walk', lesson: WALK_LESSON, minTexts: 60,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('button', { name: 'Step one memory reference' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
      await expect(explorable.locator('.tw-sim')).toHaveCount(1);
      await explorable.locator('details.how summary').click();
    },
  },
  {
    id: 'pre-copy', lesson: PRE_COPY_LESSON, minTexts: 30,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: '40,000' }).check();
      await explorable.getByRole('button', { name: 'Step one round' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
    },
  },
  {
    id: 'escape-chroot', lesson: ISOLATION_LESSON, minTexts: 60,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: /^a minimal jail/ }).check();
      await explorable.getByRole('button', { name: 'Step one system call' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
    },
  },
  {
    id: 'fair-shares', lesson: SHARES_LESSON, minTexts: 40,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: 'batch', exact: true }).check();
      await explorable.getByRole('button', { name: 'Run the next 250 ms' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
      await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Done/);
    },
  },
];

for (const { id, lesson, minTexts, drive } of SHOWN_RUNS) {
  const shown = async (page: Page): Promise<Locator> => {
    const explorable = await openExplorable(page, lesson, id);
    await drive(explorable);
    await explorable.locator('details.as-table summary').click();
    return explorable;
  };

  test.describe(`${id} on a 360 px phone`, () => {
    test.use({ viewport: { width: 360, height: 740 } });
    test('every text is at least 12 px and nothing scrolls sideways', async ({ page }) => {
      const sizes = await textSizes(await shown(page));
      expect(sizes.length).toBeGreaterThan(minTexts);
      expect(sizes.filter(({ px }) => px < 12)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    });
  });

  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${id} after a run, ${scheme} colour scheme`, () => {
      test.use({ colorScheme: scheme });
      test('axe finds no violations', async ({ page }) => {
        await shown(page);
        expect(await axeViolations(page, `${lesson} explorable (${scheme})`, scheme)).toEqual([]);
      });
    });
  }
}
