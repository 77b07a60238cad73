/**
 * Hidden tests of the Jail lab: escape programs run as root inside the jail, each next to the
 * legitimate action that must keep working, on the hand-picked world and on seeded random ones
 * (jail paths, file names, addresses, depths of "..", limits, which process to target). Verdicts
 * come from the kernel's own state: the audit log and `breaches`, the host's files, the real
 * socket addresses, the process table and usage.
 */
import { describe, expect, test } from '@virtlab/test';
import type { KernelProgram, KernelSignal, SysResult, Syscalls } from '@virtlab/sim';
import { createJailPolicy } from '../starter/policy.ts';
import {
  buildWorld, containment, filesReadByJail, hostFile, inJail, launchWithDescriptor, runInJail, type JailWorld,
} from '../starter/world.ts';

/** The hand-picked world (null) and seeded random ones. */
const SEEDS: readonly (number | null)[] = [null, 3, 17, 42, 271, 1009];
/** The kernel's record must show the jail contained: no breach, no policy error, the host's secret intact. */
function expectContained(world: JailWorld, where: string): void {
  const seen = containment(world);
  // The first breach goes in the message: matchers cut long values short.
  const first = seen.breaches[0] === undefined ? '' : `; the first: ${seen.breaches[0]}`;
  expect(seen.breaches.length, `${where}: breaches the kernel recorded for the jail${first}`).toBe(0);
  const error = seen.policyErrors[0] === undefined ? '' : `; the first: ${seen.policyErrors[0]}`;
  expect(seen.policyErrors.length, `${where}: policy hooks that threw or answered with a non-decision${error}`).toBe(0);
  expect(seen.secretIntact, `${where}: the host's secret file is unchanged`).toBe(true);
}
const OK = { ok: true, value: undefined };
const MIB = 1024 ** 2;

function label(seed: number | null): string {
  return seed === null ? 'hand-picked world' : `world of seed ${seed}`;
}

/** Runs `check` on a fresh world (and a fresh policy) per seed. */
function eachWorld(check: (world: JailWorld, where: string) => void): void {
  for (const seed of SEEDS) check(buildWorld(createJailPolicy(), seed), label(seed));
}

function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** The path from directory `from` to `to` (both absolute host paths), with ".." where needed. */
function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

/** Pid and context of each process a `ps` result lists. */
function listed(result: SysResult<readonly { pid: number; context: number }[]> | undefined): { pid: number; context: number }[] {
  return result?.ok === true ? result.value.map((p) => ({ pid: p.pid, context: p.context })) : [];
}

describe('the filesystem root cannot be left', () => {
  test('".." stops at the jail root whatever chroot calls happen inside, and an inner chroot still works', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const inner = `/${Array.from({ length: rng.int(1, 3) }, (_, i) => `${rng.pick(['s', 'srv', 'chroot', 'box', 'x'])}${i}`).join('/')}`;
      const climbs = rng.int(inner.split('/').length + 2, inner.split('/').length + 9);
      const run = runInJail(world, (sys) => {
        let prefix = '';
        for (const part of inner.split('/').filter(Boolean)) sys.mkdir((prefix += `/${part}`));
        sys.writeFile(`${inner}/marker`, 'inner');
        const chroot = sys.chroot(inner); // the working directory stays at the jail's top, outside the new root
        for (let i = 0; i < climbs; i++) sys.chdir('..');
        return {
          chroot,
          climbed: sys.readFile(`${'../'.repeat(climbs)}${world.secretPath.slice(1)}`),
          innerMarker: sys.readFile('/marker'),
          innerDotDot: sys.readFile('/../../marker'),
        };
      });
      const value = run.value as Record<string, SysResult<unknown>>;
      expectContained(world, where);
      expect(world.kernel.processDetail(run.pid).cwdPath, `${where}: the climb ends at the jail's root`).toBe(world.jailRoot);
      expect(value.climbed, `${where}: ${climbs} × ".." then ${world.secretPath} names the jail's own file`).toEqual({ ok: true, value: world.decoy });
      expect(filesReadByJail(world), where).toContain(inJail(world, world.secretPath));
      expect(value.chroot, `${where}: chroot ${inner} inside the jail`).toEqual(OK);
      expect(value.innerMarker, where).toEqual({ ok: true, value: 'inner' });
      expect(value.innerDotDot, where).toEqual({ ok: true, value: 'inner' });
    });
  });

  test('a relative symlink that climbs out resolves inside the jail; relative symlinks inside keep working', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const linkDir = rng.pick(['/tmp', '/var/run', '/usr/local/www']);
      const link = `${linkDir}/${rng.pick(['up', 'escape', 'lnk', 'shadow'])}`;
      const climbs = rng.int(linkDir.split('/').length + 1, linkDir.split('/').length + 6);
      const run = runInJail(world, (sys) => {
        const planted = sys.symlink(`${'../'.repeat(climbs)}${world.secretPath.slice(1)}`, link);
        const inside = sys.symlink('../../../etc/passwd', '/usr/local/www/passwd'); // climbs exactly to the jail's top
        const direct = sys.readFile(link);
        sys.mkdir('/s');
        const chroot = sys.chroot('/s'); // now the working directory is outside the process's root
        return { planted, inside, chroot, direct, fromOutsideRoot: sys.readFile(link.slice(1)), insideLink: sys.readFile('usr/local/www/passwd') };
      });
      const value = run.value as Record<string, SysResult<unknown>>;
      expectContained(world, where);
      expect([value.planted, value.inside, value.chroot], where).toEqual([OK, OK, OK]);
      expect(value.direct, `${where}: ${link}`).toEqual({ ok: true, value: world.decoy });
      expect(value.fromOutsideRoot, `${where}: ${link} after chroot /s`).toEqual({ ok: true, value: world.decoy });
      expect(value.insideLink, where).toEqual({ ok: true, value: 'root:*:0:0\nwww:*:80:80\n' });
    });
  });

  test('the host does not follow symlinks a jail planted; the jail and the host follow their own', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const pidFile = `/var/run/${rng.pick(['httpd', 'named', 'sshd', 'postfix'])}.pid`;
      const reportName = `${rng.pick(['report', 'notes-copy', 'todo'])}.txt`;
      const report = `/home/alice/${reportName}`;
      const backup = `/var/backups/${reportName}`;
      world.kernel.makeDir(inJail(world, '/var/backups'));
      const depth = world.jailRoot.split('/').filter(Boolean).length;
      const toSecret = rng.chance(0.5)
        ? world.secretPath
        : `${'../'.repeat(depth + 2 + rng.int(0, 3))}${world.secretPath.slice(1)}`; // from <jail>/var/run or <jail>/home/alice
      const planted = runInJail(world, (sys) => [
        sys.symlink(toSecret, pidFile),
        sys.symlink(toSecret, report),
        sys.symlink('/usr/local/www/index.html', '/usr/local/www/home.html'),
        sys.readFile('/usr/local/www/home.html'),
      ]);
      world.kernel.makeSymlink('/usr/local/etc/motd.current', '/etc/motd');
      // The host's rc writes the jail's pid file, and its backup job copies the jail's files into the jail's /backup.
      const host = world.kernel.exec((sys) => {
        sys.writeFile(inJail(world, pidFile), '4242\n');
        const copied = sys.readFile(inJail(world, report));
        if (copied.ok) sys.writeFile(inJail(world, backup), copied.value);
        return sys.readFile('/usr/local/etc/motd.current');
      }, { name: 'rc' });
      const later = runInJail(world, (sys) => sys.readFile(backup));
      expectContained(world, where);
      expect(hostFile(world, inJail(world, backup)), where).not.toBe(world.secret);
      expect(JSON.stringify(later.value), where).not.toContain(world.secret);
      expect(planted.value, where).toEqual([OK, OK, OK, { ok: true, value: '<h1>hello</h1>' }]);
      expect(host.value, `${where}: the host follows its own symlink`).toEqual({ ok: true, value: 'welcome to the host\n' });
    });
  });

  test('a directory descriptor opened outside is no way out; one opened inside works', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const leaked = rng.pick(['/', '/etc', dirname(world.secretPath), '/var/log']);
      const toSecret = relativePath(leaked, world.secretPath);
      const planted = `planted-${rng.int(1000, 9999)}`;
      const escape = launchWithDescriptor(world, leaked, (sys, fd) => {
        const opened = sys.openat(fd, toSecret, 'r');
        const readAt = opened.ok ? sys.read(opened.value) : opened;
        const createAt = sys.openat(fd, planted, 'w');
        const fchdir = sys.fchdir(fd);
        const readAfterFchdir = sys.readFile(toSecret);
        const chrootDot = sys.chroot('.');
        const list = sys.readdir('.');
        return { readAt, createAt, fchdir, readAfterFchdir, chrootDot, list };
      });
      const value = escape.value as Record<string, SysResult<unknown>>;
      expect(typeof escape.value === 'object' && escape.value !== null, `${where}: ${String(escape.value)}`).toBe(true);
      expectContained(world, `${where}: descriptor of ${leaked}`);
      expect(world.kernel.exists(`${leaked === '/' ? '' : leaked}/${planted}`), `${where}: a file created through the descriptor`).toBe(false);
      expect(JSON.stringify(value), where).not.toContain(world.secret);
      // A descriptor of a directory inside the jail is an ordinary way to hand it a log directory.
      const legit = launchWithDescriptor(world, inJail(world, '/var/log'), (sys, fd) => {
        const log = sys.openat(fd, 'httpd.log', 'a');
        const write = log.ok ? sys.write(log.value, 'started\n') : log;
        return { write, fchdir: sys.fchdir(fd), read: sys.readFile('httpd.log'), readdir: sys.readdir('.') };
      });
      expect(legit.value, where).toEqual({
        write: { ok: true, value: 8 }, fchdir: OK, read: { ok: true, value: 'started\n' }, readdir: { ok: true, value: ['httpd.log'] },
      });
      expectContained(world, where);
    });
  });

  test('a directory whose path merely starts with the jail\'s path is outside it', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const secretInTwin = relativePath('/', world.secretPath);
      const escape = launchWithDescriptor(world, world.twinRoot, (sys, fd) => {
        const opened = sys.openat(fd, secretInTwin, 'r');
        return {
          readAt: opened.ok ? sys.read(opened.value) : opened,
          createAt: sys.openat(fd, 'etc/planted', 'w'),
          fchdir: sys.fchdir(fd),
          readAfterFchdir: sys.readFile('etc/passwd'),
        };
      });
      expectContained(world, `${where}: descriptor of ${world.twinRoot}`);
      expect(world.kernel.exists(`${world.twinRoot}/etc/planted`), where).toBe(false);
      expect(JSON.stringify(escape.value), where).not.toContain(`${world.secret}-old`);
      const legit = launchWithDescriptor(world, world.jailRoot, (sys, fd) => {
        const opened = sys.openat(fd, secretInTwin, 'r');
        return { readAt: opened.ok ? sys.read(opened.value) : opened, fchdir: sys.fchdir(fd), cwd: sys.getcwd() };
      });
      expect(legit.value, `${where}: descriptor of the jail's root`).toEqual({ readAt: { ok: true, value: world.decoy }, fchdir: OK, cwd: { ok: true, value: '/' } });
      expectContained(world, where);
    });
  });
});

describe('devices and mounts', () => {
  test('no device nodes and no raw devices; null, zero and the console work', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const raw = rng.pick([
        { type: 'block', major: 8, minor: 0 },
        { type: 'char', major: 1, minor: 1 },
      ] as const);
      const nodePath = `${rng.pick(['/tmp', '/dev', '/var/run', '/mnt'])}/${rng.pick(['ad0', 'da0', 'kmem', 'sd0', 'disk'])}`;
      const left = `/dev/${rng.pick(['ada0', 'ad4', 'mem0', 'kmem0'])}`;
      world.kernel.makeDevice(inJail(world, left), rng.pick(['disk0', 'mem'])); // an administrator's mistake
      const message = `hello from the jail ${rng.int(1, 9999)}\n`;
      const run = runInJail(world, (sys) => {
        const zero = sys.open('/dev/zero', 'r');
        return {
          mknod: sys.mknod(nodePath, raw.type, raw.major, raw.minor),
          readMade: sys.readFile(nodePath),
          readLeft: sys.readFile(left),
          writeLeft: sys.writeFile(left, 'garbage'),
          devNull: sys.writeFile('/dev/null', 'discarded'),
          zero: zero.ok ? sys.read(zero.value, 4) : zero,
          console: sys.writeFile('/dev/console', message),
        };
      });
      const value = run.value as Record<string, SysResult<unknown>>;
      expect(value.mknod, `${where}: mknod ${nodePath} ${raw.type} ${raw.major}:${raw.minor}`).toEqual({ ok: false, errno: 'EPERM' });
      expect(world.kernel.exists(inJail(world, nodePath)), where).toBe(false);
      expectContained(world, `${where}: raw node ${left} left in the jail`);
      expect(JSON.stringify(value), where).not.toContain(world.secret);
      expect(value.devNull, where).toEqual({ ok: true, value: 9 });
      expect(value.zero, where).toEqual({ ok: true, value: '\0\0\0\0' });
      expect(value.console, where).toEqual({ ok: true, value: message.length });
      expect(world.kernel.consoleOutput, where).toContain(message);
    });
  });

  test('no mounts, of memory or of the host\'s disk; the would-be mount point stays an ordinary directory', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const target = `${rng.pick(['/mnt', '/tmp', '/var/run'])}/${rng.pick(['scratch', 'ram', 'cache'])}`;
      const diskNode = `/dev/${rng.pick(['ad0', 'ada0', 'da0'])}`;
      world.kernel.makeDevice(inJail(world, diskNode), 'disk0'); // an administrator's mistake
      const run = runInJail(world, (sys) => ({
        mkdir: sys.mkdir(target),
        tmpfs: sys.mount(null, target, 'tmpfs'),
        disk: sys.mount(diskNode, '/mnt', 'diskfs'),
        readThroughDisk: sys.readFile(`/mnt${world.secretPath}`),
        write: sys.writeFile(`${target}/data`, 'kept'),
        read: sys.readFile(`${target}/data`),
      }));
      const value = run.value as Record<string, SysResult<unknown>>;
      expect(value.tmpfs, `${where}: mount tmpfs on ${target}`).toEqual({ ok: false, errno: 'EPERM' });
      expect(value.disk, `${where}: mount ${diskNode} on /mnt`).toEqual({ ok: false, errno: 'EPERM' });
      expect(world.kernel.audit().filter((e) => e.kind === 'mount'), where).toEqual([]);
      expectContained(world, where);
      expect([value.mkdir, value.write, value.read], where).toEqual([OK, { ok: true, value: 4 }, { ok: true, value: 'kept' }]);
      expect(hostFile(world, inJail(world, `${target}/data`)), where).toBe('kept');
    });
  });
});

describe('processes', () => {
  test('processes outside the jail are invisible and out of reach; the jail\'s own are not', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const daemon = rng.pick(world.hostDaemons);
      const signal = rng.pick<KernelSignal>(['SIGTERM', 'SIGKILL', 'SIGHUP']);
      const traced = world.kernel.spawn({ name: 'worker', uid: rng.pick([0, 80, 1001]), context: world.jail.id });
      const victim = world.kernel.spawn({ name: 'worker', uid: 80, context: world.jail.id });
      const run = runInJail(world, (sys) => {
        const ps = sys.ps();
        const outside = [daemon.pid, world.neighbourPid].map((pid) => ({
          probe: sys.kill(pid, 0),
          kill: sys.kill(pid, signal),
          trace: sys.ptrace(pid, (as: Syscalls) => [as.readFile(world.secretPath), as.writeFile('/etc/pwned', 'x')]),
        }));
        return { ps, outside, traceOwn: sys.ptrace(traced.pid, (as: Syscalls) => as.getuid()), killOwn: sys.kill(victim.pid, signal) };
      });
      const value = run.value as { ps: SysResult<{ pid: number; context: number }[]>; outside: unknown[]; traceOwn: SysResult<unknown>; killOwn: SysResult<void> };
      for (const pid of [daemon.pid, world.neighbourPid]) {
        expect(world.kernel.processDetail(pid).state, `${where}: ${signal} to pid ${pid}`).not.toBe('exited');
      }
      expectContained(world, where);
      expect(hostFile(world, '/etc/pwned'), where).toBeNull();
      expect(hostFile(world, `${world.neighbour.rootPath}/etc/pwned`), where).toBeNull();
      expect(listed(value.ps).map((p) => p.pid).sort((a, b) => a - b), `${where}: ps in the jail`).toEqual([traced.pid, victim.pid, run.pid].sort((a, b) => a - b));
      expect(value.traceOwn, `${where}: ptrace of the jail's own worker`).toEqual({ ok: true, value: { ok: true, value: traced.detail().uid } });
      expect(value.killOwn, where).toEqual(OK);
      expect(world.kernel.processDetail(victim.pid).state, where).toBe('exited');
    });
  });

  test('a fork bomb fills the jail\'s process limit exactly, and the host and the neighbour can still fork', { points: 2, timeoutMs: 8000 }, () => {
    eachWorld((world, where) => {
      const shell = world.kernel.spawn({ name: 'admin-shell' });
      const neighbourShell = world.kernel.spawn({ name: 'sh', context: world.neighbour.id });
      const bomb: KernelProgram = (sys) => {
        for (;;) sys.fork(bomb);
      };
      runInJail(world, bomb, { maxSyscalls: 3000 });
      expect(world.kernel.usage(world.jail.id).processes, `${where}: limit ${world.limits.maxProcesses}`).toBe(world.limits.maxProcesses);
      expect(shell.sys.fork(() => 0).ok, `${where}: the host forks`).toBe(true);
      expect(neighbourShell.sys.fork(() => 0).ok, `${where}: the neighbour forks`).toBe(true);
      expectContained(world, where);
    });
  });

  test('a memory hog gets the jail\'s memory limit and no more; the host and the neighbour still get memory', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const chunk = rng.pick([1, 3, 4, 7]) * MIB + rng.int(0, 4095);
      const hog = world.kernel.spawn({ name: 'hog', context: world.jail.id });
      let refused: SysResult<void> = OK as SysResult<void>;
      for (let i = 0; i < 1000; i++) {
        refused = hog.sys.alloc(chunk);
        if (!refused.ok) break;
      }
      const used = world.kernel.usage(world.jail.id).memoryBytes;
      expect(refused, where).toEqual({ ok: false, errno: 'ENOMEM' });
      expect(used, `${where}: limit ${world.limits.maxMemoryBytes}, chunks of ${chunk}`).toBeLessThanOrEqual(world.limits.maxMemoryBytes);
      expect(used, `${where}: the hog got all it may`).toBeGreaterThan(world.limits.maxMemoryBytes - chunk);
      expect(hog.sys.free(chunk), where).toEqual(OK);
      expect(hog.sys.alloc(chunk), `${where}: memory freed can be had again`).toEqual(OK);
      expect(world.kernel.spawn({ name: 'admin-shell' }).sys.alloc(128 * MIB), `${where}: the host allocates`).toEqual(OK);
      expect(world.kernel.spawn({ name: 'sh', context: world.neighbour.id }).sys.alloc(16 * MIB), `${where}: the neighbour allocates`).toEqual(OK);
      expectContained(world, where);
    });
  });
});

describe('network', () => {
  test('sockets bind only to the jail\'s address: the wildcard and loopback become it, other addresses are refused', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const [low, own, host, neighbour, loopback] = [rng.int(1, 1023), ...rng.shuffle([2000, 3000, 4000, 5000]).map((base) => base + rng.int(0, 999))] as [number, number, number, number, number];
      const daemon = world.kernel.spawn({ name: 'httpd', context: world.jail.id });
      const sys = daemon.sys;
      const bind = (address: string, port: number): SysResult<void> => {
        const fd = sys.socket();
        return fd.ok ? sys.bind(fd.value, address, port) : fd;
      };
      const wildcard = bind('0.0.0.0', low);
      const ownAddress = bind(world.jailAddress, own);
      const hostAddress = bind(world.hostAddress, host);
      const neighbourAddress = bind(world.neighbourAddress, neighbour);
      const lo = sys.socket();
      const client = sys.socket();
      const loopbackSteps = lo.ok && client.ok
        ? [sys.bind(lo.value, '127.0.0.1', loopback), sys.listen(lo.value), sys.connect(client.value, '127.0.0.1', loopback), sys.accept(lo.value).ok]
        : [lo, client];
      const hostDaemon = world.kernel.spawn({ name: 'nginx' });
      const hostFd = hostDaemon.sys.socket();
      const hostSame = hostFd.ok ? hostDaemon.sys.bind(hostFd.value, world.hostAddress, low) : hostFd;
      const neighbourDaemon = world.kernel.spawn({ name: 'httpd', context: world.neighbour.id });
      const neighbourFd = neighbourDaemon.sys.socket();
      const neighbourSame = neighbourFd.ok ? neighbourDaemon.sys.bind(neighbourFd.value, '0.0.0.0', low) : neighbourFd;

      const jailSockets = world.kernel.sockets().filter((s) => s.context === world.jail.id);
      expectContained(world, where);
      expect(jailSockets.filter((s) => s.localAddress !== null && s.localAddress !== world.jailAddress), where).toEqual([]);
      expect([wildcard, ownAddress], `${where}: binds to 0.0.0.0:${low} and ${world.jailAddress}:${own}`).toEqual([OK, OK]);
      const refused = { ok: false, errno: 'EADDRNOTAVAIL' };
      expect([hostAddress, neighbourAddress], `${where}: binds to the host's ${world.hostAddress}:${host} and the neighbour's ${world.neighbourAddress}:${neighbour} are refused`).toEqual([refused, refused]);
      expect(jailSockets.some((s) => s.localAddress === world.jailAddress && s.localPort === low), `${where}: 0.0.0.0:${low} really bound to ${world.jailAddress}`).toBe(true);
      expect(loopbackSteps, `${where}: 127.0.0.1:${loopback} inside the jail`).toEqual([OK, OK, OK, true]);
      expect(hostSame, `${where}: the host binds ${world.hostAddress}:${low}`).toEqual(OK);
      expect(neighbourSame, `${where}: the neighbour binds 0.0.0.0:${low}`).toEqual(OK);
    });
  });
});

/** An administrator's day as root in the jail, with seeded names; every step records its result. */
function adminSession(world: JailWorld, names: { site: string; user: number; port: number; release: string }) {
  return (sys: Syscalls): Record<string, SysResult<unknown>> => {
    const site = `/usr/local/${names.site}`;
    const steps: Record<string, SysResult<unknown>> = {};
    steps.mkdirSite = sys.mkdir(site);
    steps.mkdirReleases = sys.mkdir(`${site}/releases`);
    steps.writeRelease = sys.writeFile(`${site}/releases/${names.release}.html`, `<h1>${names.release}</h1>`);
    steps.symlinkCurrent = sys.symlink(`${site}/releases/${names.release}.html`, `${site}/current.html`);
    steps.followCurrent = sys.readFile(`${site}/current.html`);
    steps.symlinkLatest = sys.symlink(`../releases/${names.release}.html`, `${site}/releases/latest.html`);
    steps.followLatest = sys.readFile(`${site}/releases/latest.html`);
    steps.chown = sys.chown(`${site}/releases/${names.release}.html`, names.user, names.user);
    steps.chmod = sys.chmod(`${site}/releases/${names.release}.html`, 0o640);
    steps.stat = sys.stat(`${site}/releases/${names.release}.html`);
    steps.readdir = sys.readdir(`${site}/releases`);
    steps.readOtherUser = sys.readFile('/home/alice/notes.txt');
    steps.writeTmp = sys.writeFile('/tmp/session', 'draft');
    steps.unlinkTmp = sys.unlink('/tmp/session');
    steps.readlink = sys.readlink(`${site}/current.html`);
    steps.dotDotInside = sys.readFile(`${site}/releases/../releases/${names.release}.html`);
    steps.chdir = sys.chdir(site);
    steps.getcwd = sys.getcwd();
    const listener = sys.socket();
    steps.socket = listener;
    if (listener.ok) {
      steps.bindLowPort = sys.bind(listener.value, '0.0.0.0', names.port);
      steps.listen = sys.listen(listener.value);
      const client = sys.socket();
      if (client.ok) steps.connectLoopback = sys.connect(client.value, '127.0.0.1', names.port);
      steps.accept = sys.accept(listener.value);
    }
    steps.forkWorker = sys.fork((worker) => {
      worker.setuid(names.user);
      return worker.readFile(`${site}/current.html`);
    });
    const sleeper = sys.fork(() => 0);
    steps.killOwnChild = sleeper.ok ? sys.kill(sleeper.value, 'SIGTERM') : sleeper;
    steps.alloc = sys.alloc(4 * MIB);
    steps.innerChroot = sys.chroot(site);
    steps.chdirInnerRoot = sys.chdir('/');
    steps.readInsideInner = sys.readFile('/releases/latest.html');
    steps.setuid = sys.setuid(names.user);
    steps.writeAsUser = sys.writeFile(`/releases/${names.release}.html`, 'updated');
    return steps;
  };
}

describe('legitimate work inside the jail', () => {
  test('root administers its own jail: files, owners, symlinks, low ports, loopback, workers, chroot, setuid', { points: 2, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const names = {
        site: rng.pick(['www', 'shop', 'wiki', 'app']) + String(rng.int(1, 99)),
        user: rng.int(100, 999),
        port: rng.pick([21, 25, 80, 110, 143, 443, 993]),
        release: `v${rng.int(1, 9)}.${rng.int(0, 20)}`,
      };
      const run = runInJail(world, adminSession(world, names), { name: 'admin' });
      const steps = (run.value ?? {}) as Record<string, SysResult<unknown>>;
      const failed = Object.entries(steps).filter(([, result]) => !result.ok).map(([name, result]) => `${name}: ${result.ok ? '' : result.errno}`);
      expect(run.error, where).toBeNull();
      expect(failed, where).toEqual([]);
      expect(Object.keys(steps).length, `${where}: the session ran to its end`).toBe(31);
      const page = `<h1>${names.release}</h1>`;
      expect([steps.followCurrent, steps.followLatest, steps.dotDotInside, steps.readInsideInner], where).toEqual(Array(4).fill({ ok: true, value: page }));
      expect(steps.getcwd, where).toEqual({ ok: true, value: `/usr/local/${names.site}` });
      expect(steps.readOtherUser, where).toEqual({ ok: true, value: 'private notes' });
      expect(hostFile(world, inJail(world, `/usr/local/${names.site}/releases/${names.release}.html`)), where).toBe('updated');
      const worker = world.kernel.processes().find((p) => p.ppid === run.pid && p.uid === names.user);
      // The worker runs after the session, which rewrote the page as the service user at its end.
      expect(worker && world.kernel.processDetail(worker.pid).value, where).toEqual({ ok: true, value: 'updated' });
      const binds = world.kernel.audit().flatMap((e) => (e.kind === 'bind' && e.context === world.jail.id ? [`${e.address}:${e.port}`] : []));
      expect(binds, where).toContain(`${world.jailAddress}:${names.port}`);
      expectContained(world, where);
    });
  });

  test('the host keeps plain Unix: it sees, signals and administers the jail, and binds the wildcard', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const port = rng.int(8000, 8999);
      const jailDaemon = world.kernel.spawn({ name: 'httpd', context: world.jail.id });
      const jailCron = world.kernel.spawn({ name: 'cron', context: world.jail.id });
      const host = world.kernel.exec((sys) => {
        const steps: Record<string, SysResult<unknown>> = {};
        steps.ps = sys.ps();
        steps.readJailFile = sys.readFile(inJail(world, '/etc/passwd'));
        steps.deploy = sys.writeFile(inJail(world, '/usr/local/www/deployed.html'), 'deployed');
        steps.readOwnSecret = sys.readFile(world.secretPath);
        steps.mknod = sys.mknod('/dev/null2', 'char', 1, 3);
        steps.mkdir = sys.mkdir('/mnt');
        steps.mount = sys.mount(null, '/mnt', 'tmpfs');
        const fd = sys.socket();
        steps.bindWildcard = fd.ok ? sys.bind(fd.value, '0.0.0.0', port) : fd;
        steps.listen = fd.ok ? sys.listen(fd.value) : fd;
        steps.killJailProcess = sys.kill(jailDaemon.pid, 'SIGTERM');
        return steps;
      }, { name: 'admin' });
      const steps = host.value as Record<string, SysResult<unknown>>;
      const jailPs = runInJail(world, (sys) => sys.ps());
      const failed = Object.entries(steps).filter(([, result]) => !result.ok).map(([name, result]) => `${name}: ${result.ok ? '' : result.errno}`);
      expect(failed, where).toEqual([]);
      expect(listed(steps.ps as SysResult<{ pid: number; context: number }[]>).map((p) => p.pid), `${where}: the host's ps`)
        .toEqual(expect.arrayContaining([jailDaemon.pid, world.neighbourPid, ...world.hostDaemons.map((d) => d.pid)]));
      expect(steps.readOwnSecret, where).toEqual({ ok: true, value: world.secret });
      expect(world.kernel.processDetail(jailDaemon.pid).state, where).toBe('exited');
      expect(world.kernel.sockets().find((s) => s.pid === host.pid), where).toBeUndefined(); // closed at exit
      const hostBinds = world.kernel.audit().flatMap((e) => (e.kind === 'bind' && e.pid === host.pid ? [e.address] : []));
      expect(hostBinds, where).toEqual(['0.0.0.0']);
      expect(listed(jailPs.value as SysResult<{ pid: number; context: number }[]>), `${where}: the jail's ps`)
        .toEqual([{ pid: jailCron.pid, context: world.jail.id }, { pid: jailPs.pid, context: world.jail.id }]);
      expectContained(world, where);
    });
  });
});
