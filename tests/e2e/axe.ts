/**
 * The accessibility check every end-to-end test uses: axe's WCAG 2.2 AA rules, one line per
 * violation. In the dark colour scheme only the rules that colour can change are run: the page's
 * markup and layout are the same in both schemes (the dark one changes CSS colours only), so the
 * light-scheme check already covers everything else, and axe's full rule set costs seconds a page.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** The WCAG AA rules whose outcome depends on colours alone. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** axe's violations on the page as it is now, each as `<label> <rule>: <first elements>`. */
export async function axeViolations(page: Page, label: string, colorScheme: 'light' | 'dark' = 'light'): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const results = await (colorScheme === 'dark' ? builder.withRules(COLOUR_RULES) : builder.withTags(WCAG_TAGS)).analyze();
  return results.violations.map((violation) => `${label} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')})`);
}
