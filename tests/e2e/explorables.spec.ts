/**
 * Explorables in real Chromium: lesson 5's trap-and-emulate explorable driven as a learner would
 * (prediction, CPU, seed, Step / Run / Reset, by mouse and by keyboard), its picture and table
 * read back and compared with the simulator's own figures for the same guest and seed; its lazy
 * loading, the prediction kept in the learner's progress, legibility at 360 px and axe in both
 * colour schemes after a run.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TrapAndEmulateSession } from '../../src/explorables/trap-and-emulate/session.ts';
import { GUEST_MEMORY_BYTES, guestProgram } from '../../src/explorables/trap-and-emulate/guest.ts';
import { Machine, type CpuConfig } from '../../src/sim/index.ts';
import { PROGRESS_SCHEMA_VERSION } from '../../src/lib/progress.ts';
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

async function openExplorable(page: Page): Promise<Locator> {
  await page.goto(LESSON);
  const explorable = page.locator('[data-explorable="trap-and-emulate"]');
  await explorable.scrollIntoViewIfNeeded();
  await expect(explorable.locator('[data-part="live"]')).toHaveText(/^Ready/);
  return explorable;
}

const fact = (explorable: Locator, term: string) => explorable.locator('.ex-facts div', { has: explorable.page().locator('dt', { hasText: term }) }).locator('dd');
const tableRows = (explorable: Locator) => explorable.locator('[data-part="table"] tbody tr');

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

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('every text of the explorable is at least 12 px and nothing scrolls sideways', async ({ page }) => {
    const explorable = await openExplorable(page);
    await explorable.getByRole('button', { name: 'Run to the end' }).click();
    await explorable.locator('details.as-table summary').click();
    const sizes = await explorable.evaluate((root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const found: { px: number; text: string }[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if (!node.textContent?.trim() || parent.getClientRects().length === 0) continue;
        found.push({ px: parseFloat(getComputedStyle(parent).fontSize), text: node.textContent.trim().slice(0, 30) });
      }
      return found;
    });
    expect(sizes.length).toBeGreaterThan(50);
    expect(sizes.filter(({ px }) => px < 12)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`after a run, ${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });
    test('axe finds no violations', async ({ page }) => {
      const explorable = await openExplorable(page);
      await explorable.getByRole('radio', { name: /^x86-like/ }).check();
      await expect(explorable.locator('[data-part="live"]')).toContainText('x86-like CPU');
      await explorable.getByRole('button', { name: 'Step to the next exit' }).click();
      await explorable.getByRole('button', { name: 'Run to the end' }).click();
      await explorable.locator('details.as-table summary').click();
      expect(await axeViolations(page, `${LESSON} explorable (${scheme})`, scheme)).toEqual([]);
    });
  });
}
