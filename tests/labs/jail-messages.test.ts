/**
 * The jail lab's failure messages state the facts: graded through the real sandboxed grader,
 * typical mutants fail with messages that name the quantity and show the values (the jail's
 * paths, the limit and the count, the process and its context, the breaches the kernel recorded).
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/jail');

describe('jail failure messages', () => {
  const lab = gradedLab(labDir);

  test('a chroot out of a working directory left outside names the directory, the jail and the result', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:chroot-target-unchecked');
    const message = messageOf(result, 'a working directory left outside the jail');
    expect(message).toContain('hand-picked world: chroot . with the working directory at /etc, outside /jails/www');
    expect(message).toContain("errno: 'EPERM'");
    expect(message).toMatch(/ok: true/);
  });

  test('a fork limit that never frees names the limit, the forks made and the uid', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:fork-count-kept-by-policy');
    expect(messageOf(result, 'once it is killed the jail forks again'))
      .toContain('a shell of uid 0 forked 0 children in 20 tries (limit 20: the shell and 19 children)');
  });

  test('a memory limit missed by one names the request, the usage and the limit', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:memory-limit-exclusive');
    const message = messageOf(result, 'a memory hog');
    expect(message).toMatch(/alloc\(\d+\) with \d+ of 67108864 bytes used, exactly to the limit/);
    expect(message).toContain("errno: 'ENOMEM'");
  });

  test('a signal across contexts names the pid, its context and its state', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:signals-unchecked');
    expect(messageOf(result, 'with every process visible')).toMatch(/hand-picked world: kill -SIG[A-Z]+ \d+ \(context 0, now exited\)/);
  });

  test('breaches are listed, a few of them, with how many more', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:harmless-mknod-allowed');
    expect(messageOf(result, 'no device nodes')).toMatch(/mknod \/tmp\/(null|zero|console)\d char \d:\d \((null|zero|console)\)/);
    const starter = await lab.grade('starter');
    const twin = messageOf(starter, 'merely starts with the jail');
    expect(twin).toContain('breaches the kernel recorded for the jail (open of /jails/www.old/etc/master.passwd, outside /jails/www;');
    expect(twin).toMatch(/; and \d+ more\)/);
  });
});
