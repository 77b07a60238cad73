/** Takes a screenshot of a page for docs and visual checks: node scripts/screenshot.ts URL OUT.png [width] [light|dark] [full 1|0] */
import { chromium } from 'playwright';
import { launchOptions } from './browser.ts';
const [url, out, width = '1280', scheme = 'light', full = '1'] = process.argv.slice(2);
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme as 'light' | 'dark' });
await page.goto(url!);
await page.waitForTimeout(300);
await page.screenshot({ path: out!, fullPage: full === '1' });
await browser.close();
