import { expect, test } from '@playwright/test';

test('search finds a lesson by a term it teaches', async ({ page }) => {
  await page.goto('/search/');
  const box = page.getByRole('searchbox').or(page.getByRole('textbox')).first();
  await box.fill('Popek');
  const result = page.locator('.pagefind-ui__result-link').first();
  await expect(result).toBeVisible();
  await result.click();
  await expect(page).toHaveURL(/\/lessons\//);
  await expect(page.locator('article')).toContainText('Popek');
});

/** The result links Pagefind's UI lists for `query`: page links and their sub-result links. */
async function searchLinks(page: import('@playwright/test').Page, query: string): Promise<{ text: string; href: string }[]> {
  await page.goto('/search/');
  await page.getByRole('searchbox').or(page.getByRole('textbox')).first().fill(query);
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible();
  return page.locator('.pagefind-ui__result-link').evaluateAll((links) =>
    links.map((link) => ({ text: link.textContent!.trim(), href: link.getAttribute('href')! })),
  );
}

test('each glossary term is its own search result, linking to the term', async ({ page }) => {
  const links = await searchLinks(page, 'ballooning');
  expect(links).toContainEqual({ text: 'Ballooning', href: '/glossary/#ballooning' });
  // No result is a bare letter of the alphabet linking to its section.
  expect(links.filter((link) => /#(letter|heading)-/.test(link.href) || /^[A-Z]$/.test(link.text))).toEqual([]);
  await page.locator('.pagefind-ui__result-link', { hasText: /^Ballooning$/ }).first().click();
  await expect(page.locator('h3#ballooning')).toBeInViewport();
});

test('search finds the simulator API reference', async ({ page }) => {
  const links = await searchLinks(page, 'disassemble');
  expect(links.some((link) => link.href.startsWith('/api/'))).toBe(true);
});

test.describe('hosted under a sub-path (/courses/virtlab/)', () => {
  const root = 'http://127.0.0.1:4322/courses/virtlab/';

  test('every page, asset and link stays under the sub-path', async ({ page }) => {
    const failures: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(root);
    const links = await page.locator('a[href^="/"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('href')!));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((href) => !href.startsWith('/courses/virtlab/'))).toEqual([]);

    await page.locator('.outline a.title').first().click();
    await expect(page).toHaveURL(/\/courses\/virtlab\/lessons\//);
    const question = page.locator('[data-quiz-kind="quiz"]').last().locator('[data-kind="single"]').first();
    await question.getByRole('radio').first().check();
    await question.getByRole('button', { name: 'Check answer' }).click();
    await expect(question.locator('[data-feedback] .verdict')).toBeVisible();

    await page.goto(`${root}glossary/`);
    await page.goto(`${root}progress/`);

    // A lab page: the editor and its workers, and the test worker, load from under the sub-path.
    await page.goto(`${root}labs/jail/`);
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: /Run tests/ }).click();
    await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 60_000 });
    const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    expect(requested.filter((url) => url.includes('/_astro/') && !url.includes('/courses/virtlab/_astro/'))).toEqual([]);
    expect(failures).toEqual([]);
  });

  test('search works under the sub-path', async ({ page }) => {
    await page.goto(`${root}search/`);
    await page.getByRole('searchbox').or(page.getByRole('textbox')).first().fill('hypervisor');
    const result = page.locator('.pagefind-ui__result-link').first();
    await expect(result).toBeVisible();
    expect(await result.getAttribute('href')).toMatch(/^\/courses\/virtlab\//);
  });
});
