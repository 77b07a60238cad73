/**
 * Lesson 4's chroot-escape explorable, checked against the isolation kernel's own records: each
 * stepped escape compared with the same attack run in one go by `kernel.exec` on a fresh world,
 * the verdicts the lesson's explanation states (from the audit log's breaches and the host's
 * files), the climb's length against the depth of the seeded tree, and the minimal jail kept
 * minimal (it is not lab 2's answer).
 */
import { describe, expect, test } from 'vitest';
import { NAIVE_POLICY, type KernelProgram, type Syscalls } from '../../src/sim/index.ts';
import { policyFor } from '../../src/explorables/escape-chroot/confinement.ts';
import { CONFINEMENTS, ESCAPE_IDS, type Confinement, type EscapeId } from '../../src/explorables/escape-chroot/options.ts';
import { EscapeSession } from '../../src/explorables/escape-chroot/session.ts';
import { answerOf, settingsOf } from '../../src/explorables/escape-chroot/view.ts';
import { buildWorld } from '../../src/explorables/escape-chroot/world.ts';

const SEEDS = [42, 0, 7, 2024, 99_999];
const run = (escape: EscapeId, confinement: Confinement, seed = 42) => {
  const session = new EscapeSession({ seed, escape, confinement });
  session.runToEnd();
  return session;
};
const depth = (path: string) => path.split('/').filter(Boolean).length;

/** The attacks written out once more, run in one go as root in the confined context (ten climbs, as the escape tests do). */
const DIRECT: Readonly<Record<Exclude<EscapeId, 'symlink'>, (secretPath: string) => KernelProgram>> = {
  dotdot: (secretPath) => (sys: Syscalls) => {
    sys.mkdir('/s');
    sys.chroot('/s');
    for (let i = 0; i < 10; i++) sys.chdir('..');
    sys.chroot('.');
    return sys.readFile(secretPath);
  },
  fchdir: (secretPath) => (sys: Syscalls) => {
    const fd = sys.open('/', 'r');
    sys.mkdir('/s');
    sys.chroot('/s');
    sys.chdir('/');
    if (fd.ok) sys.fchdir(fd.value);
    for (let i = 0; i < 10; i++) sys.chdir('..');
    sys.chroot('.');
    return sys.readFile(secretPath);
  },
  mknod: () => (sys: Syscalls) => {
    sys.mknod('/tmp/disk', 'block', 8, 0);
    return sys.readFile('/tmp/disk');
  },
};

describe('escape-chroot explorable', () => {
  for (const escape of ['dotdot', 'fchdir', 'mknod'] as const) {
    for (const confinement of CONFINEMENTS) {
      test(`${escape} under ${confinement}: stepping gives what the kernel gives the same attack run in one go`, () => {
        for (const seed of SEEDS) {
          const session = run(escape, confinement, seed);
          const world = buildWorld(seed);
          world.kernel.setPolicy(policyFor(confinement, () => {}));
          const direct = world.kernel.exec(DIRECT[escape](world.secretPath), { context: world.jail.id, uid: 0 });
          const value = direct.value as { ok: boolean; value?: string };
          const reasons = (breaches: readonly { reason: string }[]) => [...new Set(breaches.map((breach) => breach.reason))].sort();
          expect(reasons(session.outcome!.breaches)).toEqual(reasons(world.kernel.breaches(world.jail.id)));
          expect(session.outcome!.secretRead).toBe(value.ok && String(value.value).includes(world.secret));
          expect(session.steps.at(-1)!.read === 'secret').toBe(session.outcome!.secretRead);
        }
      });
    }
  }

  test('the verdicts the lesson states: plain chroot lets the first three out, the jail holds them, and the planted link hurts the host under both', () => {
    for (const seed of SEEDS) {
      for (const escape of ['dotdot', 'fchdir', 'mknod'] as const) {
        const out = run(escape, 'chroot', seed).outcome!;
        expect(out.escaped && out.secretRead, `${escape} out of chroot, seed ${seed}`).toBe(true);
        const held = run(escape, 'jail', seed).outcome!;
        expect(held.escaped || held.secretRead, `${escape} out of the jail, seed ${seed}`).toBe(false);
        expect(held.breaches).toEqual([]);
      }
      for (const confinement of CONFINEMENTS) {
        const session = run('symlink', confinement, seed);
        expect(session.outcome!.escaped).toBe(false);
        expect(session.steps.find((step) => step.call.startsWith('read('))!.read).toBe('decoy');
        expect(session.outcome!.hostFileChanged).toBe(true);
        expect(session.world.kernel.readFile(session.world.secretPath)).toBe('4242\n');
        // The write through the link is the host's own: logged for context 0 on the host's file.
        const write = session.steps.at(-1)!;
        expect(write.actor).toBe('host rc script');
        expect(write.audit.some((event) => event.kind === 'file' && event.op === 'write' && event.context === 0 && event.hostPath === session.world.secretPath)).toBe(true);
      }
    }
  });

  test('under plain chroot the climb takes one step per directory above the tree, then stays at the host’s /', () => {
    for (const seed of SEEDS) {
      for (const escape of ['dotdot', 'fchdir'] as const) {
        const session = run(escape, 'chroot', seed);
        const climbs = session.steps.filter((step) => step.call === 'chdir("..")');
        const root = session.world.jailRoot;
        expect(climbs.filter((step) => step.cwdMoved)).toHaveLength(depth(root));
        expect(climbs.at(-1)!).toMatchObject({ cwdMoved: false, cwd: '/' });
        expect(answerOf(climbs.at(-1)!)).toBe('allowed, but stayed at /');
        // Each step up left the tree: the kernel's audit says so for every chdir above it.
        expect(climbs.every((step) => step.breaches.length === 1)).toBe(true);
        expect(session.steps.at(-2)).toMatchObject({ call: 'chroot(".")', root: '/', cwd: '/' });
        expect(session.steps.every((step) => step.refusals.length === 0)).toBe(true);
      }
    }
  });

  test('chroot leaves the working directory outside the new root; fchdir brings it back there after chdir("/")', () => {
    const dotdot = run('dotdot', 'chroot');
    const root = dotdot.world.jailRoot;
    expect(dotdot.steps[1]).toMatchObject({ call: 'chroot("/s")', root: `${root}/s`, cwd: root });
    const fchdir = run('fchdir', 'chroot');
    expect(fchdir.steps.find((step) => step.call === 'chdir("/")')).toMatchObject({ root: `${root}/s`, cwd: `${root}/s` });
    expect(fchdir.steps.find((step) => step.call === 'fchdir(fd)')).toMatchObject({ root: `${root}/s`, cwd: root, errno: null });
  });

  test('in the jail the first chdir("..") stays at the jail’s root, refused by the barrier, and the read gets the jail’s copy', () => {
    for (const seed of SEEDS) {
      for (const escape of ['dotdot', 'fchdir'] as const) {
        const session = run(escape, 'jail', seed);
        const root = session.world.jailRoot;
        const climbs = session.steps.filter((step) => step.call === 'chdir("..")');
        expect(climbs).toHaveLength(1);
        expect(climbs[0]).toMatchObject({ cwd: root, cwdMoved: false, errno: null });
        expect(climbs[0]!.refusals).toEqual([`the jail kept “..” at the jail’s root ${root}`]);
        expect(session.steps.at(-1)).toMatchObject({ read: 'decoy', root, cwd: root });
      }
    }
  });

  test('in the jail mknod fails with EPERM and no device node is made or read', () => {
    const session = run('mknod', 'jail');
    expect(session.steps[0]).toMatchObject({ errno: 'EPERM' });
    expect(session.steps[0]!.refusals).toEqual(['the jail refused mknod (block 8:0) to jailed root']);
    expect(session.steps[1]).toMatchObject({ errno: 'ENOENT' });
    expect(session.world.kernel.audit().filter((event) => event.kind === 'device')).toEqual([]);
    const chroot = run('mknod', 'chroot');
    expect(chroot.outcome!.breaches.map((breach) => breach.reason)).toEqual([
      `created device node ${chroot.world.jailRoot}/tmp/disk (disk0)`,
      'read of raw device disk0',
    ]);
  });

  test('the same seed gives the same run; seeds choose the tree, the secret file and its content', () => {
    const calls = (session: EscapeSession) => session.steps.map((step) => [step.call, step.root, step.cwd, step.errno]);
    expect(calls(run('fchdir', 'chroot', 7))).toEqual(calls(run('fchdir', 'chroot', 7)));
    const worlds = Array.from({ length: 30 }, (_, seed) => buildWorld(seed));
    expect(new Set(worlds.map((world) => world.jailRoot)).size).toBeGreaterThan(3);
    expect(new Set(worlds.map((world) => world.secretPath)).size).toBeGreaterThan(1);
    expect(new Set(worlds.map((world) => world.secret)).size).toBe(30);
  });

  test('the minimal jail has the two rules it names and nothing more, and leaves the host plain Unix', () => {
    const jail = policyFor('jail', () => {});
    expect(Object.keys(jail).sort()).toEqual(['allowDotDot', 'allowPrivileged', 'name']);
    expect(policyFor('chroot', () => {})).toBe(NAIVE_POLICY);
    // Not a full jail (that is lab 2's job): a raw disk node the administrator left in the tree is still read.
    const world = buildWorld(42);
    world.kernel.setPolicy(jail);
    world.kernel.makeDevice(`${world.jailRoot}/dev/ad0`, 'disk0');
    world.kernel.exec((sys) => sys.readFile('/dev/ad0'), { context: world.jail.id, uid: 0 });
    expect(world.kernel.breaches(world.jail.id).map((breach) => breach.reason)).toEqual(['read of raw device disk0']);
    // The host climbs out of the jail's tree and makes device nodes as before.
    const host = world.kernel.exec((sys) => [sys.chdir(`${world.jailRoot}/..`), sys.mknod('/tmp-null', 'char', 1, 3)].every((result) => result.ok));
    expect(host.value).toBe(true);
  });

  test('settings the page does not offer fall back to the defaults', () => {
    expect(settingsOf({ seed: 3, choices: { escape: 'ptrace', confinement: 'vm' } })).toEqual({ seed: 3, escape: 'fchdir', confinement: 'chroot' });
    for (const escape of ESCAPE_IDS) expect(settingsOf({ seed: 1, choices: { escape, confinement: 'jail' } })).toMatchObject({ escape, confinement: 'jail' });
  });
});
