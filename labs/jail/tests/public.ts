/**
 * Public tests of the Jail lab: a few classic escapes, each next to the legitimate action that
 * must keep working, and one administrator's session. Every verdict comes from the kernel's own
 * state (audit log, host files, process table, sockets), never from what the policy says.
 */
import { attach, describe, expect, test } from '@virtlab/test';
import type { SysResult, Syscalls } from '@virtlab/sim';
import { createJailPolicy } from '../starter/policy.ts';
import { buildWorld, containment, inJail, runInJail, snapshot, type JailWorld } from '../starter/world.ts';
import { expectContained } from './contained.ts';

/** One line of the picture: an attempt that should be blocked, or a legitimate action that should work. */
interface Check {
  readonly what: string;
  readonly expected: 'blocked' | 'works';
  readonly ok: boolean;
  readonly evidence: string;
}

function show(result: unknown): string {
  if (result === undefined) return 'no result';
  const text = JSON.stringify(result);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Records the attempt for the workbench picture before the test's expectations run. */
function picture(world: JailWorld, title: string, checks: readonly Check[]): void {
  attach('jail', { title, checks, world: snapshot(world) });
}

describe('escapes from a chroot that a jail must stop', () => {
  test('chroot into a subdirectory, then climb with "..": the climb stops at the jail root', { points: 2 }, () => {
    const world = buildWorld(createJailPolicy());
    const climb = runInJail(world, (sys) => {
      sys.mkdir('/s');
      sys.chroot('/s'); // the working directory stays at the jail's top, outside the new root
      for (let i = 0; i < 10; i++) sys.chdir('..');
      sys.chroot('.');
      return sys.readFile(world.secretPath);
    });
    const inner = runInJail(world, (sys) => [sys.chroot('/usr/local/www'), sys.readFile('/index.html')]);
    const seen = containment(world);
    const climbed = climb.value as SysResult<string>;
    const [innerChroot, innerRead] = inner.value as [SysResult<void>, SysResult<string>];
    picture(world, 'chroot, then ..', [
      { what: `chroot /s; chdir .. ×10; chroot .; read ${world.secretPath}`, expected: 'blocked', ok: seen.secretIntact && seen.breaches.length === 0 && climbed.ok && climbed.value === world.decoy, evidence: show(climbed) },
      { what: 'chroot /usr/local/www inside the jail, read /index.html', expected: 'works', ok: innerChroot.ok && innerRead.ok && innerRead.value === '<h1>hello</h1>', evidence: show(inner.value) },
    ]);
    expectContained(world);
    // ".." at the jail's root stays there, so the path names the jail's own file.
    expect(climb.value, `the climb's read of ${world.secretPath} (the jail's own copy, as ".." stops at the jail root)`).toEqual({ ok: true, value: world.decoy });
    expect(inner.value, 'chroot /usr/local/www, then read /index.html').toEqual([{ ok: true, value: undefined }, { ok: true, value: '<h1>hello</h1>' }]);
  });

  test('mknod of the raw disk is refused; /dev/null still works', { points: 2 }, () => {
    const world = buildWorld(createJailPolicy());
    const run = runInJail(world, (sys) => ({
      mknod: sys.mknod('/tmp/disk', 'block', 8, 0),
      read: sys.readFile('/tmp/disk'),
      devNull: sys.writeFile('/dev/null', 'discarded'),
    }));
    const value = run.value as Record<string, SysResult<unknown>>;
    const seen = containment(world);
    const nodeMade = world.kernel.exists(inJail(world, '/tmp/disk'));
    picture(world, 'mknod of the raw disk', [
      { what: 'mknod /tmp/disk block 8:0, then read it', expected: 'blocked', ok: !nodeMade && seen.breaches.length === 0, evidence: show({ mknod: value.mknod, read: value.read }) },
      { what: 'write to /dev/null', expected: 'works', ok: value.devNull?.ok === true, evidence: show(value.devNull) },
    ]);
    expect(value.mknod, 'mknod /tmp/disk block 8:0 as root in the jail').toEqual({ ok: false, errno: 'EPERM' });
    expect(nodeMade, 'a device node exists at /tmp/disk in the jail').toBe(false);
    expectContained(world);
    expect(value.devNull, 'writing to /dev/null').toEqual({ ok: true, value: 'discarded'.length });
  });

  test('a host daemon can be neither listed nor killed; the jail\'s own worker can', { points: 2 }, () => {
    const world = buildWorld(createJailPolicy());
    const daemon = world.hostDaemons[0]!;
    const worker = world.kernel.spawn({ name: 'httpd', uid: 80, context: world.jail.id });
    const run = runInJail(world, (sys) => ({
      ps: sys.ps(),
      killHost: sys.kill(daemon.pid, 'SIGKILL'),
      killWorker: sys.kill(worker.pid, 'SIGTERM'),
    }));
    const value = run.value as { ps: SysResult<{ pid: number; context: number }[]>; killHost: SysResult<void>; killWorker: SysResult<void> };
    const listed = value.ps.ok ? value.ps.value.map((p) => ({ pid: p.pid, context: p.context })) : [];
    const daemonState = world.kernel.processDetail(daemon.pid).state;
    const workerState = world.kernel.processDetail(worker.pid).state;
    picture(world, 'processes', [
      { what: `kill -KILL ${daemon.pid} (host ${daemon.name})`, expected: 'blocked', ok: daemonState !== 'exited', evidence: `${show(value.killHost)}; ${daemon.name} is ${daemonState}` },
      { what: 'ps lists only the jail\'s processes', expected: 'works', ok: listed.length > 0 && listed.every((p) => p.context === world.jail.id), evidence: show(listed) },
      { what: `kill ${worker.pid} (the jail's own httpd)`, expected: 'works', ok: workerState === 'exited', evidence: `${show(value.killWorker)}; httpd is ${workerState}` },
    ]);
    expect(daemonState, `the host's ${daemon.name} after kill -KILL from the jail`).not.toBe('exited');
    expect(listed.map((p) => p.pid).sort((a, b) => a - b), 'pids that ps lists in the jail (only the jail\'s httpd and the shell itself)')
      .toEqual([worker.pid, run.pid].sort((a, b) => a - b));
    expect(workerState, 'the jail\'s own httpd after kill -TERM from the jail').toBe('exited');
    expectContained(world);
  });

  test('a wildcard bind gets the jail\'s address, leaving the host\'s address free', { points: 2 }, () => {
    const world = buildWorld(createJailPolicy());
    const daemon = world.kernel.spawn({ name: 'httpd', context: world.jail.id });
    const fd = daemon.sys.socket();
    const bound = fd.ok ? daemon.sys.bind(fd.value, '0.0.0.0', 80) : fd;
    if (fd.ok) daemon.sys.listen(fd.value);
    const host = world.kernel.spawn({ name: 'nginx' });
    const hostFd = host.sys.socket();
    const hostBound = hostFd.ok ? host.sys.bind(hostFd.value, world.hostAddress, 80) : hostFd;
    const jailSockets = world.kernel.sockets().filter((s) => s.context === world.jail.id).map((s) => `${s.localAddress}:${s.localPort}`);
    picture(world, 'wildcard bind', [
      { what: 'a jailed daemon binds 0.0.0.0:80 (every address of the host?)', expected: 'blocked', ok: bound.ok && jailSockets.length === 1 && jailSockets[0] === `${world.jailAddress}:80`, evidence: `${show(bound)}; really bound: ${jailSockets.join(', ') || 'nothing'}` },
      { what: `the host binds ${world.hostAddress}:80`, expected: 'works', ok: hostBound.ok, evidence: show(hostBound) },
    ]);
    expect(bound, 'the jail\'s bind to 0.0.0.0:80').toEqual({ ok: true, value: undefined });
    expect(jailSockets, 'addresses the jail\'s sockets are really bound to').toEqual([`${world.jailAddress}:80`]);
    expect(hostBound, `the host's bind to ${world.hostAddress}:80`).toEqual({ ok: true, value: undefined });
    expectContained(world);
  });
});

/** A jail administrator's day as root: every step records its result under a name. */
function adminSession(world: JailWorld) {
  return (sys: Syscalls): Record<string, SysResult<unknown>> => {
    const steps: Record<string, SysResult<unknown>> = {};
    steps.readPasswd = sys.readFile('/etc/passwd');
    steps.readOwnSecret = sys.readFile(world.secretPath);
    steps.readAliceNotes = sys.readFile('/home/alice/notes.txt'); // root overrides mode 0600 of uid 1001
    steps.mkdir = sys.mkdir('/usr/local/www/releases');
    steps.writeRelease = sys.writeFile('/usr/local/www/releases/v2.html', '<h1>v2</h1>');
    steps.absoluteSymlink = sys.symlink('/usr/local/www/releases/v2.html', '/usr/local/www/current.html');
    steps.followAbsolute = sys.readFile('/usr/local/www/current.html');
    steps.relativeSymlink = sys.symlink('../releases/v2.html', '/usr/local/www/releases/latest.html');
    steps.followRelative = sys.readFile('/usr/local/www/releases/latest.html');
    steps.dotDotAtRoot = sys.readFile('/../../etc/passwd');
    steps.chown = sys.chown('/usr/local/www/releases/v2.html', 80, 80);
    steps.chmod = sys.chmod('/home/alice/notes.txt', 0o640);
    steps.devNull = sys.writeFile('/dev/null', 'discarded');
    steps.chdir = sys.chdir('/usr/local');
    steps.getcwd = sys.getcwd();
    steps.ps = sys.ps();
    const listener = sys.socket();
    steps.socket = listener;
    if (listener.ok) {
      steps.bindPort80 = sys.bind(listener.value, '0.0.0.0', 80);
      steps.listen = sys.listen(listener.value);
      const client = sys.socket();
      if (client.ok) {
        steps.connectOwnAddress = sys.connect(client.value, world.jailAddress, 80);
        steps.accept = sys.accept(listener.value);
      }
    }
    steps.forkWorker = sys.fork((worker) => {
      worker.setuid(80);
      return worker.readFile('/usr/local/www/index.html');
    });
    steps.alloc = sys.alloc(8 * 1024 ** 2);
    steps.setuid = sys.setuid(80);
    return steps;
  };
}

/** Every step the session takes, in order (a session cut short is a failure too). */
const SESSION_STEPS = [
  'readPasswd', 'readOwnSecret', 'readAliceNotes', 'mkdir', 'writeRelease', 'absoluteSymlink', 'followAbsolute', 'relativeSymlink',
  'followRelative', 'dotDotAtRoot', 'chown', 'chmod', 'devNull', 'chdir', 'getcwd', 'ps', 'socket', 'bindPort80', 'listen',
  'connectOwnAddress', 'accept', 'forkWorker', 'alloc', 'setuid',
];

describe('legitimate work inside the jail', () => {
  test('root administers its own jail: files, owners, symlinks, a web server on port 80, workers', { points: 2 }, () => {
    const world = buildWorld(createJailPolicy());
    const run = runInJail(world, adminSession(world), { name: 'admin' });
    const steps = (run.value ?? {}) as Record<string, SysResult<unknown>>;
    const failed = Object.entries(steps).filter(([, result]) => !result.ok).map(([name, result]) => `${name}: ${result.ok ? '' : result.errno}`);
    const listed = steps.ps?.ok ? (steps.ps.value as { context: number }[]) : [];
    const seen = containment(world);
    picture(world, 'an administrator\'s session', [
      ...Object.entries(steps).map(([name, result]) => ({ what: name, expected: 'works' as const, ok: result.ok, evidence: show(result) })),
      { what: 'ps shows only the jail\'s processes', expected: 'works', ok: listed.length > 0 && listed.every((p) => p.context === world.jail.id), evidence: `${listed.length} listed` },
    ]);
    expect(run.error, 'the session crashed').toBeNull();
    expect(failed, 'steps of the session that failed').toEqual([]);
    expect(Object.keys(steps), 'the steps the session got through').toEqual(SESSION_STEPS);
    expect(steps.readOwnSecret, `read of ${world.secretPath} in the jail (the jail's own copy)`).toEqual({ ok: true, value: world.decoy });
    expect(steps.followAbsolute, 'read through the absolute symlink /usr/local/www/current.html').toEqual({ ok: true, value: '<h1>v2</h1>' });
    expect(steps.followRelative, 'read through the relative symlink /usr/local/www/releases/latest.html').toEqual({ ok: true, value: '<h1>v2</h1>' });
    expect(steps.dotDotAtRoot, 'read of /../../etc/passwd (".." at the jail root stays there)').toEqual({ ok: true, value: 'root:*:0:0\nwww:*:80:80\n' });
    expect(steps.getcwd, 'getcwd after chdir /usr/local').toEqual({ ok: true, value: '/usr/local' });
    expect(listed.map((p) => p.context), `contexts of the processes ps lists in the jail (the jail is context ${world.jail.id})`).toEqual(listed.map(() => world.jail.id));
    const socket = world.kernel.sockets().find((s) => s.pid === run.pid);
    expect(socket, 'a socket of the session after it ended (its sockets close at exit)').toBeUndefined();
    const binds = world.kernel.audit().flatMap((e) => (e.kind === 'bind' && e.context === world.jail.id ? [e.address] : []));
    expect(binds.length, `binds the kernel recorded for the jail (${binds.join(', ')})`).toBeGreaterThanOrEqual(2);
    expect(new Set(binds), 'addresses the jail\'s sockets were really bound to').toEqual(new Set([world.jailAddress]));
    const worker = world.kernel.processes().find((p) => p.ppid === run.pid && p.uid === 80);
    expect(worker && world.kernel.processDetail(worker.pid).value, 'what the worker forked as uid 80 read from /usr/local/www/index.html').toEqual({ ok: true, value: '<h1>hello</h1>' });
    expect(world.kernel.readFile(inJail(world, '/usr/local/www/releases/v2.html')), 'the release the session wrote, as the host sees it').toBe('<h1>v2</h1>');
    expectContained(world);
  });
});
