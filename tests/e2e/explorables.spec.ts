/**
 * Explorables in real Chromium. Lesson 5's trap-and-emulate explorable driven as a learner would
 * (prediction, CPU, seed, Step / Run / Reset, by mouse and by keyboard), its picture and table
 * read back and compared with the simulator's own figures for the same guest and seed; its lazy
 * loading, the prediction kept in the learner's progress, legibility at 360 px and axe in both
 * colour schemes after a run. Lesson 3's pre-copy explorable driven the same way (settings by
 * mouse and keyboard, Step one round / Run / Reset), its rounds compared with the simulator's.
 * Lesson 1's where-the-cycles-go explorable: a mix chosen by keyboard, its table compared with the
 * same comparison made in Node (the native kernel on the simulator, the VMs' recorded figures).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TrapAndEmulateSession } from '../../src/explorables/trap-and-emulate/session.ts';
import { GUEST_MEMORY_BYTES, guestProgram } from '../../src/explorables/trap-and-emulate/guest.ts';
import { Machine, type CpuConfig } from '../../src/sim/index.ts';
import { PROGRESS_SCHEMA_VERSION } from '../../src/lib/progress.ts';
import { PreCopySession, type PreCopySettings } from '../../src/explorables/pre-copy/session.ts';
import { DEFAULTS as PRE_COPY_DEFAULTS, HOT_PAGES } from '../../src/explorables/pre-copy/options.ts';
import { STOP_RULES } from '../../src/explorables/pre-copy/view.ts';
import { mixById } from '../../src/explorables/where-cycles-go/options.ts';
import { compare, NativeRun } from '../../src/explorables/where-cycles-go/session.ts';
import { summary as cyclesSummary, tableCells as cycleCells } from '../../src/explorables/where-cycles-go/view.ts';
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
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const hot = migrated({ seed: 7, memoryMiB: 16, writesPerSecond: 40_000, hotPages: HOT_PAGES });
  expect(await tableCells(explorable)).toEqual(roundCells(hot));
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES[hot.stopReason!]);

  await explorable.getByRole('radio', { name: '1000 MB/s' }).check();
  await explorable.getByRole('button', { name: 'Run to the end' }).click();
  const fast = migrated({ seed: 7, memoryMiB: 16, bandwidthMBps: 1000, writesPerSecond: 40_000, hotPages: HOT_PAGES });
  expect(await tableCells(explorable)).toEqual(roundCells(fast));
  await expect(fact(explorable, 'Rounds ended because')).toHaveText(STOP_RULES['few-dirty']);
});

test('pre-copy: a Reset while Run to the end is under way wins: the replaced run draws nothing more', async ({ page }) => {
  const explorable = await openPreCopy(page);
  await explorable.getByRole('radio', { name: /hot pages/ }).check();
  await explorable.getByRole('radio', { name: '40,000' }).check(); // 31 rounds: Run to the end yields between them
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
    id: 'pre-copy', lesson: PRE_COPY_LESSON, minTexts: 30,
    drive: async (explorable: Locator) => {
      await explorable.getByRole('radio', { name: '40,000' }).check();
      await explorable.getByRole('button', { name: 'Step one round' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
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
