/**
 * The outer layer of the Node sandbox: a process started with the sandbox's Node flags cannot
 * read lab files, write files, spawn processes or start workers, even with full JavaScript
 * access (as if learner code had escaped the isolate). Sockets are not covered by Node 24's
 * permission model; inside the isolate there is no socket API at all (see adversarial.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { prepareSandboxFiles, type SandboxFiles } from '../../grader/node/bundle.ts';
import { sandboxNodeFlags } from '../../grader/node/sandbox.ts';
import { FIXTURE_LAB_DIR, REPO, SETUP_TIMEOUT_MS } from './helpers.ts';

let files: SandboxFiles;
beforeAll(async () => {
  files = await prepareSandboxFiles();
}, SETUP_TIMEOUT_MS);
afterAll(() => files.dispose());

test('a process with the sandbox flags is denied files, processes and workers but may load isolated-vm', () => {
  const probe = `
    import fs from 'node:fs';
    import childProcess from 'node:child_process';
    import { Worker } from 'node:worker_threads';
    import { createRequire } from 'node:module';
    const attempts = {
      'read hidden tests': () => fs.readFileSync(${JSON.stringify(join(FIXTURE_LAB_DIR, 'tests/hidden.ts'))}, 'utf8'),
      'read reference solution': () => fs.readFileSync(${JSON.stringify(join(FIXTURE_LAB_DIR, 'solution/solution.ts'))}, 'utf8'),
      'list the repository': () => fs.readdirSync(${JSON.stringify(REPO)}),
      'write a file': () => fs.writeFileSync('/tmp/virtlab-permission-probe', 'x'),
      'spawn a process': () => childProcess.execFileSync('true'),
      'start a worker': () => new Worker('1', { eval: true }),
      'load isolated-vm': () => createRequire(import.meta.url)(${JSON.stringify(files.addon)}).ivm.Isolate,
    };
    const results = {};
    for (const [name, attempt] of Object.entries(attempts)) {
      try { attempt(); results[name] = 'allowed'; } catch (error) { results[name] = error.code ?? error.message; }
    }
    console.log(JSON.stringify(results));
  `;
  const output = execFileSync(process.execPath, [...sandboxNodeFlags(files, 64), '--input-type=module', '-e', probe], { encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({
    'read hidden tests': 'ERR_ACCESS_DENIED',
    'read reference solution': 'ERR_ACCESS_DENIED',
    'list the repository': 'ERR_ACCESS_DENIED',
    'write a file': 'ERR_ACCESS_DENIED',
    'spawn a process': 'ERR_ACCESS_DENIED',
    'start a worker': 'ERR_ACCESS_DENIED',
    'load isolated-vm': 'allowed',
  });
});
