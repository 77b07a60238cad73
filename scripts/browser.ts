/**
 * The Chromium that scripts/ensure-browser.mjs chose, as Playwright launch options.
 * A system Chromium (e.g. Debian's) runs headless with flags that keep it off the network;
 * Playwright's own Chromium needs no extra options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LaunchOptions } from 'playwright';

export interface ChosenBrowser {
  kind: 'system' | 'playwright';
  path: string;
  source: string;
  version: string;
}

const record = resolve(import.meta.dirname, '../node_modules/.cache/virtlab/browser.json');

export function chosenBrowser(): ChosenBrowser | undefined {
  return existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as ChosenBrowser) : undefined;
}

export const SYSTEM_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchOptions(): LaunchOptions {
  const browser = chosenBrowser();
  if (!browser || browser.kind === 'playwright') return {};
  return { executablePath: browser.path, args: SYSTEM_CHROMIUM_ARGS };
}
