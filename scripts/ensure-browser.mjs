#!/usr/bin/env node
// Finds (or installs) a Chromium for the end-to-end tests and records which one, so that
// playwright.config.ts and the benchmarks launch the same browser and can say which it was.
//
// Order: $VIRTLAB_CHROMIUM → Playwright's own Chromium (after `npx playwright install chromium`)
// → a system Chromium (Debian's /usr/bin/chromium, …) → install one: Debian's package when we
// are root with apt-get, else `npx playwright install chromium`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const browserRecord = resolve(root, 'node_modules/.cache/virtlab/browser.json');
const systemCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function systemChromium() {
  return systemCandidates.find((path) => existsSync(path));
}

function find() {
  const fromEnv = process.env.VIRTLAB_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`VIRTLAB_CHROMIUM is set to ${fromEnv}, which does not exist. Unset it or point it at a Chromium binary.`);
    return { kind: 'system', path: fromEnv, source: 'VIRTLAB_CHROMIUM' };
  }
  const bundled = playwrightChromium();
  if (bundled) return { kind: 'playwright', path: bundled, source: "Playwright's own Chromium" };
  const system = systemChromium();
  if (system) return { kind: 'system', path: system, source: 'system Chromium' };
  return undefined;
}

function run(command, args) {
  console.log(`ensure-browser: ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium'])) return;
  }
  run('npx', ['--no-install', 'playwright', 'install', 'chromium']);
}

let found = find();
if (!found) {
  console.log('ensure-browser: no Chromium found; installing one for the end-to-end tests.');
  install();
  found = find();
}
if (!found) {
  console.error(
    'ensure-browser: could not find or install Chromium.\n' +
      '  Fix: run `npx playwright install chromium`, or install your distribution\'s chromium package,\n' +
      '  or set VIRTLAB_CHROMIUM=/path/to/chromium.',
  );
  process.exit(1);
}
let version = '';
try {
  version = execFileSync(found.path, ['--version'], { encoding: 'utf8' }).trim();
} catch {
  version = '(version unknown)';
}
mkdirSync(dirname(browserRecord), { recursive: true });
writeFileSync(browserRecord, JSON.stringify({ ...found, version }, null, 2));
console.log(`ensure-browser: using ${found.source}: ${found.path} — ${version}`);
