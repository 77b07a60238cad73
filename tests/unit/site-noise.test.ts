/**
 * What a newcomer sees on the console: the build's scripts keep Astro's telemetry off and
 * Pagefind quiet, only known-harmless build warnings are filtered, and `node grader/cli/bin.mjs`
 * on a Node too old for TypeScript says what to run instead of printing a raw stack.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isKnownHarmlessWarning, onBuildWarning, type BuildWarning } from '../../scripts/build-warnings.ts';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('npm scripts', () => {
  test.each(['dev', 'build', 'build:sub', 'build:fixture', 'preview', 'check'])('%s runs Astro with telemetry off', (name) => {
    expect(scripts[name]).toMatch(/^ASTRO_TELEMETRY_DISABLED=1 .*\bastro (dev|build|preview|check)\b/);
  });
  test.each(['build', 'build:sub'])('%s runs Pagefind quietly (errors and warnings only)', (name) => {
    expect(scripts[name]).toMatch(/pagefind --site \S+ --quiet/);
  });
});

describe('build warnings', () => {
  const headInject: BuildWarning = {
    code: 'MODULE_LEVEL_DIRECTIVE',
    message: 'The semantics of the module level directive "use astro:head-inject" in "content/lessons/02-why-virtualize.mdx?astroPropagatedAssets" may not be preserved when bundling.',
  };
  test("Astro's head-inject directive warning is filtered", () => {
    expect(isKnownHarmlessWarning(headInject)).toBe(true);
  });
  test('any other directive, or any other warning, still reaches the log', () => {
    const passed: BuildWarning[] = [];
    const other = { code: 'MODULE_LEVEL_DIRECTIVE', message: 'The semantics of the module level directive "use client" in "x.ts" may not be preserved when bundling.' };
    const circular = { code: 'CIRCULAR_DEPENDENCY', message: 'Circular dependency "use astro:head-inject"' };
    for (const warning of [headInject, other, circular]) onBuildWarning(warning, (kept) => passed.push(kept));
    expect(passed).toEqual([other, circular]);
  });
  test('the site config uses the filter', () => {
    expect(readFileSync('astro.config.mjs', 'utf8')).toMatch(/onwarn: onBuildWarning/);
  });
});

describe('the virtlab command on an old Node', () => {
  // The machine's bare `node` (Node 20 here); the project's own Node 24 runs inside npm scripts.
  const systemNode = ['/usr/bin/node', '/bin/node'].find((path) => spawnSync(path, ['--version']).status === 0);
  const version = systemNode ? execFileSync(systemNode, ['--version'], { encoding: 'utf8' }).trim() : '';
  const tooOld = /^v(1\d|20|21)\.|^v22\.(\d|1[0-7])\./.test(version);

  test('says to use npx virtlab instead of dying with ERR_UNKNOWN_FILE_EXTENSION', { timeout: 60_000 }, () => {
    expect(tooOld, `this test needs the machine's older Node on PATH (found ${version || 'none'})`).toBe(true);
    const run = spawnSync(systemNode!, ['grader/cli/bin.mjs', 'grade', 'consolidate', 'x.ts'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`this is Node ${version.slice(1)}`);
    expect(run.stderr).toContain('npx virtlab grade');
    expect(run.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|at \S+ \(/);
  });

  test("the project's Node runs the command", { timeout: 120_000 }, () => {
    const run = spawnSync(process.execPath, ['grader/cli/bin.mjs', '--help'], { encoding: 'utf8' });
    expect(process.versions.node.split('.')[0]).not.toBe('20');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: virtlab');
  });
});
