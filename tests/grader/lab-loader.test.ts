/**
 * The lab loader reads files a lab shares with another lab through a symbolic link (lab 5's
 * read-only trap-and-emulate.ts is lab 4's, its tests' compare.ts is lab 3's), and says what to
 * fix when a link leads nowhere.
 */
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLab } from '../../grader/node/lab-loader.ts';

const labs = resolve(import.meta.dirname, '../../labs');

describe('files shared between labs by symbolic link', () => {
  test('lab 5 gets lab 4’s trap-and-emulate.ts and lab 3’s compare.ts, as they are', async () => {
    const lab = await loadLab(join(labs, 'shadow-paging'));
    expect(lab.starter['trap-and-emulate.ts']).toBe(readFileSync(join(labs, 'popek-goldberg/starter/trap-and-emulate.ts'), 'utf8'));
    expect(lab.tests['compare.ts']).toBe(readFileSync(join(labs, 'trap-and-emulate/tests/compare.ts'), 'utf8'));
  });

  test('a link that leads nowhere is refused, naming it', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'linked-lab-')), 'jail');
    cpSync(join(labs, 'jail'), copy, { recursive: true });
    symlinkSync('../../no-such-lab/tests/helper.ts', join(copy, 'tests/helper.ts'));
    await expect(loadLab(copy)).rejects.toThrow(/tests\/helper\.ts is a symbolic link to something that does not exist; point it at the shared file or remove it/);
  });
});
