/**
 * Hidden tests of the Jail lab: escape programs run as root inside the jail, each next to the
 * legitimate action that must keep working, on the hand-picked world and on seeded random ones
 * (jail paths, file names, addresses, depths of "..", limits, which process to target). Verdicts
 * come from the kernel's own state: the audit log and `breaches`, the host's files, the real
 * socket addresses, the process table and usage.
 */
import { describe, expect, test } from '@virtlab/test';
import type { IsolationPolicy, KernelProgram, KernelSignal, SysResult, Syscalls } from '@virtlab/sim';
import { createJailPolicy } from '../starter/policy.ts';
import {
  buildWorld, filesReadByJail, hostFile, inJail, launchWithDescriptor, runInJail, type JailWorld,
} from '../starter/world.ts';
import { expectContained } from './contained.ts';

/** The hand-picked world (null) and seeded random ones. */
const SEEDS: readonly (number | null)[] = [null, 3, 17, 42, 271, 1009];
const OK = { ok: true, value: undefined };
const MIB = 1024 ** 2;

function label(seed: number | null): string {
  return seed === null ? 'hand-picked world' : `world of seed ${seed}`;
}

/** Runs `check` on a fresh world (and a fresh policy from `makePolicy`) per seed. */
function eachWorld(check: (world: JailWorld, where: string) => void, makePolicy: () => IsolationPolicy = createJailPolicy): void {
  for (const seed of SEEDS) check(buildWorld(makePolicy(), seed), label(seed));
}

const HOOKS = [
  'allowDotDot', 'allowFollowSymlink', 'allowFileAccess', 'allowPrivileged', 'canSeeProcess', 'allowSignal', 'allowTrace',
  'bindAddress', 'connectAddress', 'admitFork', 'admitMemory', 'admitDisk',
] as const satisfies readonly (keyof IsolationPolicy)[];

/**
 * The learner's policy, except that every process is visible (as where another layer lets a jail
 * watch the host's processes): its allowSignal and allowTrace must then hold on their own. Each
 * other hook is the learner's, called on the learner's object (so classes and closures work alike).
 */
function withEveryProcessVisible(policy: IsolationPolicy): IsolationPolicy {
  const hooks: Record<string, unknown> = { name: policy.name };
  for (const hook of HOOKS) {
    const method: unknown = policy[hook];
    if (typeof method === 'function') hooks[hook] = (query: unknown) => (method as (q: unknown) => unknown).call(policy, query);
  }
  hooks.canSeeProcess = () => true;
  return hooks as IsolationPolicy;
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

  test('the host does not follow symlinks a jail planted; the host follows its own, the jail every link in its tree', { points: 1, timeoutMs: 5000 }, () => {
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
      // The host's administrator links the jail's timezone into the jail's own zoneinfo, as jail setups do.
      const zone = rng.pick(['UTC', 'Europe/Oslo', 'America/Lima', 'Asia/Tokyo']);
      world.kernel.writeFile(inJail(world, `/usr/share/zoneinfo/${zone}`), `TZif ${zone}`);
      world.kernel.makeSymlink(inJail(world, '/etc/localtime'), rng.chance(0.5) ? `/usr/share/zoneinfo/${zone}` : `../usr/share/zoneinfo/${zone}`);
      const zoneRead = runInJail(world, (sys) => sys.readFile('/etc/localtime'));
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
      expect(zoneRead.value, `${where}: the jail follows /etc/localtime, a link the host made in the jail's tree`).toEqual({ ok: true, value: `TZif ${zone}` });
    });
  });

  test('a directory descriptor opened outside is no way out; one opened inside works', { points: 1, timeoutMs: 5000 }, () => {
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

describe('a working directory left outside the jail', () => {
  test('is no way out: chroot to it and reads through it are refused; chroot inside the jail works', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const outside = rng.pick(['/', '/etc', dirname(world.secretPath), '/var/log']);
      const link = `/var/run/${rng.pick(['svc', 'work', 'spool', 'state'])}`;
      const planted = runInJail(world, (sys) => sys.symlink(outside, link));
      // A careless launcher resolves the service's working directory on the host, where the jail's
      // absolute link points into the host's tree: the service starts outside its root (the classic chroot hole).
      const service = world.kernel.exec((sys) => ({
        readHere: sys.readFile(relativePath(outside, world.secretPath)),
        chrootHere: sys.chroot('.'),
        chrootInside: sys.chroot('/usr/local/www'),
        readInside: sys.readFile('/index.html'),
      }), { context: world.jail.id, uid: 0, cwd: link, name: 'service', maxSyscalls: 20_000 });
      const value = service.value as Record<string, SysResult<unknown>>;
      expect(planted.value, `${where}: symlink ${outside} ${link} in the jail`).toEqual(OK);
      expect(world.kernel.processDetail(service.pid).cwdPath, `${where}: the test's premise, a service started with its working directory at ${outside} on the host`).toBe(outside);
      expect(value.chrootHere, `${where}: chroot . with the working directory at ${outside}, outside ${world.jailRoot}`).toEqual({ ok: false, errno: 'EPERM' });
      expect(value.readHere, `${where}: read of ${world.secretPath} relative to ${outside}`).toEqual({ ok: false, errno: 'EACCES' });
      expectContained(world, `${where}: working directory ${outside}`);
      expect([value.chrootInside, value.readInside], `${where}: chroot /usr/local/www, then read /index.html`).toEqual([OK, { ok: true, value: '<h1>hello</h1>' }]);
      expect(world.kernel.processDetail(service.pid).rootPath, where).toBe(inJail(world, '/usr/local/www'));
    });
  });
});

describe('devices and mounts', () => {
  test('no device nodes, not even of harmless devices, and no raw devices; null, zero and the console work', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const raw = rng.pick([
        { type: 'block', major: 8, minor: 0 },
        { type: 'char', major: 1, minor: 1 },
      ] as const);
      const nodePath = `${rng.pick(['/tmp', '/dev', '/var/run', '/mnt'])}/${rng.pick(['ad0', 'da0', 'kmem', 'sd0', 'disk'])}`;
      const left = `/dev/${rng.pick(['ada0', 'ad4', 'mem0', 'kmem0'])}`;
      // Device nodes are made by the host's administrator, never by jailed root, whatever they reach.
      const harmless = rng.pick([{ name: 'null', major: 1, minor: 3 }, { name: 'zero', major: 1, minor: 5 }, { name: 'console', major: 5, minor: 1 }]);
      const harmlessPath = `/tmp/${harmless.name}${rng.int(1, 9)}`;
      world.kernel.makeDevice(inJail(world, left), rng.pick(['disk0', 'mem'])); // an administrator's mistake
      const message = `hello from the jail ${rng.int(1, 9999)}\n`;
      const run = runInJail(world, (sys) => {
        const zero = sys.open('/dev/zero', 'r');
        return {
          mknod: sys.mknod(nodePath, raw.type, raw.major, raw.minor),
          mknodHarmless: sys.mknod(harmlessPath, 'char', harmless.major, harmless.minor),
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
      expect(world.kernel.exists(inJail(world, nodePath)), `${where}: a device node exists at ${nodePath} in the jail`).toBe(false);
      expect(value.mknodHarmless, `${where}: mknod ${harmlessPath} char ${harmless.major}:${harmless.minor} (${harmless.name})`).toEqual({ ok: false, errno: 'EPERM' });
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
  test('processes outside the jail are invisible and out of reach; the jail\'s own are not', { points: 1, timeoutMs: 5000 }, () => {
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

  test('with every process visible, signals and traces across contexts are still refused; the jail\'s own still work', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const daemon = rng.pick(world.hostDaemons);
      const signal = rng.pick<KernelSignal>(['SIGTERM', 'SIGKILL', 'SIGHUP']);
      const traced = world.kernel.spawn({ name: 'worker', uid: rng.pick([0, 80, 1001]), context: world.jail.id });
      const victim = world.kernel.spawn({ name: daemon.name, uid: 80, context: world.jail.id }); // same name as the host's
      const run = runInJail(world, (sys) => ({
        outside: [daemon.pid, world.neighbourPid].map((pid) => ({
          pid,
          kill: sys.kill(pid, signal),
          trace: sys.ptrace(pid, (as: Syscalls) => as.writeFile('/etc/pwned', 'x')),
        })),
        traceOwn: sys.ptrace(traced.pid, (as: Syscalls) => as.getuid()),
        killOwn: sys.kill(victim.pid, signal),
      }));
      const value = run.value as { outside: { pid: number; kill: SysResult<void>; trace: SysResult<unknown> }[]; traceOwn: SysResult<unknown>; killOwn: SysResult<void> };
      for (const attempt of value.outside) {
        const state = world.kernel.processDetail(attempt.pid).state;
        expect(attempt.kill, `${where}: kill -${signal} ${attempt.pid} (context ${world.kernel.processDetail(attempt.pid).context}, now ${state})`).toEqual({ ok: false, errno: 'EPERM' });
        expect(attempt.trace, `${where}: ptrace ${attempt.pid}`).toEqual({ ok: false, errno: 'EPERM' });
      }
      expectContained(world, where);
      expect(value.traceOwn, `${where}: ptrace of the jail's own worker`).toEqual({ ok: true, value: { ok: true, value: traced.detail().uid } });
      expect([value.killOwn, world.kernel.processDetail(victim.pid).state], `${where}: kill -${signal} of the jail's own ${daemon.name}`).toEqual([OK, 'exited']);
    }, () => withEveryProcessVisible(createJailPolicy()));
  });

  test('an ordinary user in the jail is held like root: no host process of the same uid, no leaked descriptor; its own work goes on', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const uid = rng.int(100, 999);
      const hostJob = world.kernel.spawn({ name: rng.pick(['backup', 'indexer', 'mailq']), uid, gid: uid });
      const ownJob = world.kernel.spawn({ name: 'job', uid, gid: uid, context: world.jail.id });
      const leaked = rng.pick(['/', '/etc']);
      const escape = launchWithDescriptor(world, leaked, (sys, fd) => {
        const dropped = sys.setuid(uid); // the launcher drops root, keeping the descriptor
        const motd = sys.openat(fd, relativePath(leaked, '/etc/motd'), 'r');
        return {
          dropped,
          readMotd: motd.ok ? sys.read(motd.value) : motd,
          fchdir: sys.fchdir(fd),
          kill: sys.kill(hostJob.pid, 'SIGTERM'),
          trace: sys.ptrace(hostJob.pid, (as: Syscalls) => as.getuid()),
          killOwn: sys.kill(ownJob.pid, 'SIGTERM'),
          readOwn: sys.readFile('/etc/passwd'),
        };
      });
      const value = escape.value as Record<string, SysResult<unknown>>;
      expect(typeof escape.value === 'object' && escape.value !== null, `${where}: ${String(escape.value)}`).toBe(true);
      expect(value.dropped, `${where}: setuid ${uid} in the jail`).toEqual(OK);
      expect(world.kernel.processDetail(hostJob.pid).state, `${where}: the host's ${hostJob.detail().name} (uid ${uid}) after kill -TERM from uid ${uid} in the jail`).not.toBe('exited');
      expectContained(world, `${where}: uid ${uid} with a descriptor of ${leaked}`);
      expect(JSON.stringify(value.readMotd), `${where}: /etc/motd read through the descriptor of ${leaked}`).not.toContain('welcome to the host');
      expect([value.killOwn, world.kernel.processDetail(ownJob.pid).state], `${where}: kill -TERM of the jail's own job of uid ${uid}`).toEqual([OK, 'exited']);
      expect(value.readOwn, `${where}: uid ${uid} reads the jail's /etc/passwd`).toEqual({ ok: true, value: 'root:*:0:0\nwww:*:80:80\n' });
    });
  });

  test('a fork bomb fills the jail\'s process limit exactly, the host and the neighbour can still fork, and once it is killed the jail forks again', { points: 1, timeoutMs: 8000 }, () => {
    eachWorld((world, where) => {
      const shell = world.kernel.spawn({ name: 'admin-shell' });
      const neighbourShell = world.kernel.spawn({ name: 'sh', context: world.neighbour.id });
      const bomb: KernelProgram = (sys) => {
        for (;;) sys.fork(bomb);
      };
      runInJail(world, bomb, { maxSyscalls: 3000 });
      const max = world.limits.maxProcesses;
      const afterBomb = world.kernel.usage(world.jail.id).processes;
      expect(afterBomb, `${where}: the jail has ${afterBomb} processes after a fork bomb, limit ${max}`).toBe(max);
      expect(shell.sys.fork(() => 0), `${where}: the host forks`).toEqual({ ok: true, value: expect.any(Number) });
      expect(neighbourShell.sys.fork(() => 0), `${where}: the neighbour forks`).toEqual({ ok: true, value: expect.any(Number) });
      expectContained(world, where);
      // The host kills the bomb; the jail's processes are gone, so its limit is free again.
      for (const p of world.kernel.processes()) if (p.context === world.jail.id && p.state !== 'exited') shell.sys.kill(p.pid, 'SIGKILL');
      const uid = world.rng.pick([0, 80, 1001]);
      const again = runInJail(world, (sys) => Array.from({ length: max }, () => sys.fork(() => 0).ok), { uid });
      const forked = (again.value as boolean[]).filter(Boolean).length;
      expect(again.value, `${where}: after the bomb was killed, a shell of uid ${uid} forked ${forked} children in ${max} tries (limit ${max}: the shell and ${max - 1} children)`)
        .toEqual([...Array<boolean>(max - 1).fill(true), false]);
    });
  });

  test('degenerate jails: one without limits forks and allocates freely; one of a single process and no address cannot fork or bind, and its process works up to its memory limit', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const parent = rng.pick(['/jails-extra', '/srv/ctx', '/vm2']);
      world.kernel.makeDir(`${parent}/free/tmp`);
      world.kernel.makeDir(`${parent}/tiny/tmp`, { mode: 0o777 });
      const unlimited = world.kernel.createContext({ name: 'unlimited', root: `${parent}/free` });
      const maxMemoryBytes = 1024 ** 2 + rng.int(1, 4096) * 1024 + rng.int(0, 1023);
      const tiny = world.kernel.createContext({ name: 'tiny', root: `${parent}/tiny`, limits: { maxProcesses: 1, maxMemoryBytes } });
      const workers = rng.int(world.limits.maxProcesses + 5, 60);
      const bytes = rng.int(100, 200) * MIB;
      const free = world.kernel.exec((sys) => ({
        forks: Array.from({ length: workers }, () => sys.fork(() => 0).ok).filter(Boolean).length,
        alloc: sys.alloc(bytes),
      }), { context: unlimited.id, name: 'build' });
      const got = free.value as { forks: number; alloc: SysResult<void> };
      expect(got, `${where}: a jail without limits forked ${got.forks} of ${workers} workers, and alloc(${bytes}) gave ${JSON.stringify(got.alloc)}`).toEqual({ forks: workers, alloc: OK });

      const init = world.kernel.spawn({ name: 'init', uid: rng.pick([0, 80]), context: tiny.id });
      const used = world.kernel.usage(tiny.id).memoryBytes;
      const socket = init.sys.socket();
      const steps: Record<string, SysResult<unknown>> = {
        fork: init.sys.fork(() => 0),
        bind: socket.ok ? init.sys.bind(socket.value, '0.0.0.0', 8080) : socket,
        write: init.sys.writeFile('/tmp/state', 'ok'),
        read: init.sys.readFile('/tmp/state'),
        toLimit: init.sys.alloc(maxMemoryBytes - used),
        pastLimit: init.sys.alloc(1),
      };
      const expected: Record<string, SysResult<unknown>> = {
        fork: { ok: false, errno: 'EAGAIN' }, bind: { ok: false, errno: 'EADDRNOTAVAIL' }, write: { ok: true, value: 2 }, read: { ok: true, value: 'ok' },
        toLimit: OK as SysResult<unknown>, pastLimit: { ok: false, errno: 'ENOMEM' },
      };
      const wrong = Object.entries(expected).filter(([step, want]) => JSON.stringify(steps[step]) !== JSON.stringify(want))
        .map(([step, want]) => `${step} gave ${JSON.stringify(steps[step])}, expected ${JSON.stringify(want)}`);
      expect(wrong, `${where}: a jail of 1 process, no address and ${maxMemoryBytes} bytes (its process holds ${used}): fork, bind 0.0.0.0:8080, its files, alloc(${maxMemoryBytes - used}) to the limit, alloc(1) past it`).toEqual([]);
      const reached = [unlimited, tiny].flatMap((ctx) => world.kernel.breaches(ctx.id).map((b) => `${ctx.name}: ${b.reason}`));
      expect(reached, `${where}: breaches of the two extra jails`).toEqual([]);
      expectContained(world, where);
    });
  });

  test('a memory hog gets the jail\'s memory limit and no more; the host and the neighbour still get memory', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const chunk = rng.pick([1, 3, 4, 7]) * MIB + rng.int(0, 4095);
      const hog = world.kernel.spawn({ name: 'hog', uid: rng.pick([0, 80, 1001]), context: world.jail.id });
      let refused: SysResult<void> = OK as SysResult<void>;
      for (let i = 0; i < 1000; i++) {
        refused = hog.sys.alloc(chunk);
        if (!refused.ok) break;
      }
      const used = world.kernel.usage(world.jail.id).memoryBytes;
      expect(refused, where).toEqual({ ok: false, errno: 'ENOMEM' });
      expect(used, `${where}: bytes the jail holds, limit ${world.limits.maxMemoryBytes}, chunks of ${chunk}`).toBeLessThanOrEqual(world.limits.maxMemoryBytes);
      expect(used, `${where}: the hog got all it may`).toBeGreaterThan(world.limits.maxMemoryBytes - chunk);
      // What is left, and one byte more: a request that lands exactly on the limit is within it.
      const rest = world.limits.maxMemoryBytes - used;
      const pastLimit = hog.sys.alloc(rest + 1);
      const toLimit = hog.sys.alloc(rest);
      const atLimit = world.kernel.usage(world.jail.id).memoryBytes;
      const oneMore = hog.sys.alloc(1);
      expect(pastLimit, `${where}: alloc(${rest + 1}) with ${used} of ${world.limits.maxMemoryBytes} bytes used, 1 byte past the limit`).toEqual({ ok: false, errno: 'ENOMEM' });
      expect(toLimit, `${where}: alloc(${rest}) with ${used} of ${world.limits.maxMemoryBytes} bytes used, exactly to the limit`).toEqual(OK);
      expect(atLimit, `${where}: the jail's memory after reaching its limit of ${world.limits.maxMemoryBytes}`).toBe(world.limits.maxMemoryBytes);
      expect(oneMore, `${where}: alloc(1) with the jail at its limit of ${world.limits.maxMemoryBytes}`).toEqual({ ok: false, errno: 'ENOMEM' });
      expect(hog.sys.free(chunk), where).toEqual(OK);
      expect(hog.sys.alloc(chunk), `${where}: memory freed can be had again`).toEqual(OK);
      expect(world.kernel.spawn({ name: 'admin-shell' }).sys.alloc(128 * MIB), `${where}: the host allocates`).toEqual(OK);
      expect(world.kernel.spawn({ name: 'sh', context: world.neighbour.id }).sys.alloc(16 * MIB), `${where}: the neighbour allocates`).toEqual(OK);
      expectContained(world, where);
    });
  });
});

describe('network', () => {
  test('sockets bind only to the jail\'s address: the wildcard and loopback become it, other addresses are refused', { points: 1, timeoutMs: 5000 }, () => {
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

  test('a client in the jail reaches the host\'s services from the jail\'s address, and never the host\'s loopback', { points: 1, timeoutMs: 5000 }, () => {
    eachWorld((world, where) => {
      const rng = world.rng;
      const [servicePort, adminPort] = rng.shuffle([53, 123, 389, 5432, 6379]).map((port) => port + rng.int(0, 1) * 10000) as [number, number];
      const host = world.kernel.spawn({ name: rng.pick(['named', 'ntpd', 'slapd']) });
      const listen = (address: string, port: number): SysResult<number> => {
        const fd = host.sys.socket();
        if (!fd.ok) return fd;
        const bound = host.sys.bind(fd.value, address, port);
        if (!bound.ok) return bound;
        const listening = host.sys.listen(fd.value);
        return listening.ok ? fd : listening;
      };
      const service = listen(rng.chance(0.5) ? world.hostAddress : '0.0.0.0', servicePort);
      const admin = listen('127.0.0.1', adminPort); // a host-only port
      const client = world.kernel.spawn({ name: 'fetch', uid: rng.pick([0, 80, 1001]), context: world.jail.id });
      const connect = (address: string, port: number, bindFirst: boolean): SysResult<unknown> => {
        const fd = client.sys.socket();
        if (!fd.ok) return fd;
        const bound = bindFirst ? client.sys.bind(fd.value, '0.0.0.0', 0) : OK as SysResult<void>;
        return bound.ok ? client.sys.connect(fd.value, address, port) : bound;
      };
      const implicit = connect(world.hostAddress, servicePort, false);
      const explicit = connect(world.hostAddress, servicePort, true);
      const loopback = connect('127.0.0.1', adminPort, false);
      const accepted = [service, service].map((fd) => (fd.ok ? host.sys.accept(fd.value).ok : false));
      const adminAccept = admin.ok ? host.sys.accept(admin.value) : admin;
      const clientSockets = world.kernel.sockets().filter((s) => s.pid === client.pid && s.remoteAddress !== null)
        .map((s) => `${s.localAddress} -> ${s.remoteAddress}:${s.remotePort}`);
      expect([service.ok, admin.ok], `${where}: the host listens on ${servicePort} and 127.0.0.1:${adminPort}`).toEqual([true, true]);
      expectContained(world, where);
      expect([implicit, explicit], `${where}: connects to the host's ${world.hostAddress}:${servicePort} (unbound, and bound to 0.0.0.0:0)`).toEqual([OK, OK]);
      expect(accepted, `${where}: connections the host's service accepted`).toEqual([true, true]);
      expect(clientSockets, `${where}: the jail's connected sockets`).toEqual(Array(2).fill(`${world.jailAddress} -> ${world.hostAddress}:${servicePort}`));
      expect(loopback.ok, `${where}: the jail's connect to 127.0.0.1:${adminPort} (the host's loopback service): ${JSON.stringify(loopback)}`).toBe(false);
      expect(adminAccept, `${where}: connections waiting on the host's 127.0.0.1:${adminPort}`).toEqual({ ok: false, errno: 'EAGAIN' });
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
        steps.readRawDisk = sys.readFile('/dev/disk0'); // the host's backup reads its own disk
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
      expect(JSON.stringify(steps.readRawDisk), `${where}: the host reads its raw disk /dev/disk0, which holds its secret`).toContain(world.secret);
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
