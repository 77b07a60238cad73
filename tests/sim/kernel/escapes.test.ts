/**
 * The classic chroot escapes succeed against the naive policy (plain chroot) and fail against the
 * reference jail policy, judged by what the kernel saw (audit log, host files, process table,
 * sockets), not by what the attack programs report.
 */
import { describe, expect, it } from 'vitest';
import type { KernelProgram, Syscalls } from '../../../src/sim/index.ts';
import { NAIVE_POLICY } from '../../../src/sim/index.ts';
import { HOST_ADDRESS, JAIL_ADDRESS, JAIL_ROOT, SECRET, buildJailWorld, type JailWorld } from './fixtures.ts';
import { createReferenceJailPolicy } from './reference-jail-policy.ts';

/** Runs `program` as root inside the www jail. */
function runInJail(world: JailWorld, program: KernelProgram, maxSyscalls?: number) {
  return world.kernel.exec(program, { context: world.jail.id, uid: 0, name: 'attacker', ...(maxSyscalls ? { maxSyscalls } : {}) });
}

function readSecret(sys: Syscalls, path: string): string | null {
  const result = sys.readFile(path);
  return result.ok ? result.value : null;
}

interface Escape {
  readonly name: string;
  /** Runs the attack in a fresh world; returns whether the host's secret or state was reached, as observed by the kernel. */
  attempt(world: JailWorld): boolean;
}

/** True when the kernel recorded a read of the host's secret file (or of a raw device) by the jail. */
function jailTouchedHost(world: JailWorld): boolean {
  return world.kernel.breaches(world.jail.id).length > 0;
}

const ESCAPES: readonly Escape[] = [
  {
    name: 'chroot into a subdirectory, then climb with ..',
    attempt(world) {
      const run = runInJail(world, (sys) => {
        sys.mkdir('/s');
        sys.chroot('/s'); // cwd stays at the jail's top, now outside the new root
        for (let i = 0; i < 10; i++) sys.chdir('..');
        sys.chroot('.');
        return readSecret(sys, '/etc/master.passwd');
      });
      return run.value === SECRET && jailTouchedHost(world);
    },
  },
  {
    name: 'a directory descriptor leaked by the launcher, then fchdir',
    attempt(world) {
      const run = world.kernel.exec((sys) => {
        const fd = sys.open('/', 'r');
        if (!fd.ok) return null;
        sys.jailAttach(world.jail.id); // the launcher forgot to close fd
        sys.fchdir(fd.value);
        return readSecret(sys, 'etc/master.passwd');
      });
      return run.value === SECRET && jailTouchedHost(world);
    },
  },
  {
    name: 'a directory descriptor leaked by the launcher, then openat',
    attempt(world) {
      const run = world.kernel.exec((sys) => {
        const fd = sys.open('/etc', 'r');
        if (!fd.ok) return null;
        sys.jailAttach(world.jail.id);
        const file = sys.openat(fd.value, 'master.passwd', 'r');
        return file.ok ? sys.read(file.value) : null;
      });
      return JSON.stringify(run.value).includes(SECRET) && jailTouchedHost(world);
    },
  },
  {
    name: 'mknod of the raw disk',
    attempt(world) {
      const run = runInJail(world, (sys) => {
        sys.mknod('/tmp/disk', 'block', 8, 0);
        return readSecret(sys, '/tmp/disk');
      });
      return typeof run.value === 'string' && run.value.includes(SECRET) && jailTouchedHost(world);
    },
  },
  {
    name: 'mknod of physical memory',
    attempt(world) {
      const run = runInJail(world, (sys) => {
        sys.mknod('/tmp/mem', 'char', 1, 1);
        return readSecret(sys, '/tmp/mem');
      });
      return typeof run.value === 'string' && run.value.includes(SECRET) && jailTouchedHost(world);
    },
  },
  {
    name: 'a raw disk node the administrator left inside the jail',
    attempt(world) {
      world.kernel.makeDevice(`${JAIL_ROOT}/dev/ad0`, 'disk0');
      const run = runInJail(world, (sys) => readSecret(sys, '/dev/ad0'));
      return typeof run.value === 'string' && run.value.includes(SECRET) && jailTouchedHost(world);
    },
  },
  {
    name: 'mount the disk inside the jail',
    attempt(world) {
      world.kernel.makeDevice(`${JAIL_ROOT}/dev/ad0`, 'disk0');
      const run = runInJail(world, (sys) => {
        sys.mount('/dev/ad0', '/mnt', 'diskfs');
        return readSecret(sys, '/mnt/etc/master.passwd');
      });
      return run.value === SECRET && jailTouchedHost(world);
    },
  },
  {
    name: 'ptrace a host process and run code as it',
    attempt(world) {
      const run = runInJail(world, (sys) => {
        const traced = sys.ptrace(world.hostDaemonPid, (host) => readSecret(host, '/etc/master.passwd'));
        return traced.ok ? traced.value : null;
      });
      return run.value === SECRET && jailTouchedHost(world);
    },
  },
  {
    name: 'kill a host daemon',
    attempt(world) {
      runInJail(world, (sys) => sys.kill(world.hostDaemonPid, 'SIGKILL'));
      return world.kernel.processDetail(world.hostDaemonPid).state === 'exited' && jailTouchedHost(world);
    },
  },
  {
    name: 'kill a process of another jail',
    attempt(world) {
      runInJail(world, (sys) => sys.kill(world.otherJailPid, 'SIGTERM'));
      return world.kernel.processDetail(world.otherJailPid).state === 'exited' && jailTouchedHost(world);
    },
  },
  {
    name: 'a relative symlink climbing out, after chroot into a subdirectory',
    attempt(world) {
      const run = runInJail(world, (sys) => {
        sys.symlink('../../etc/master.passwd', '/up');
        sys.mkdir('/s');
        sys.chroot('/s');
        return readSecret(sys, 'up');
      });
      return run.value === SECRET && jailTouchedHost(world);
    },
  },
  {
    name: 'an absolute symlink planted for a host process to follow',
    attempt(world) {
      runInJail(world, (sys) => sys.symlink('/etc/master.passwd', '/var/run/httpd.pid'));
      // The host's service manager writes the jail's pid file, following whatever is there.
      world.kernel.exec((sys) => sys.writeFile(`${JAIL_ROOT}/var/run/httpd.pid`, '4242\n'), { name: 'rc' });
      return world.kernel.readFile('/etc/master.passwd') !== SECRET;
    },
  },
  {
    name: 'a wildcard bind that takes the host address too',
    attempt(world) {
      // A resident jailed daemon: its socket stays open.
      const daemon = world.kernel.spawn({ name: 'httpd', context: world.jail.id });
      const socket = daemon.sys.socket();
      if (socket.ok) {
        daemon.sys.bind(socket.value, '0.0.0.0', 80);
        daemon.sys.listen(socket.value);
      }
      const host = world.kernel.spawn({ name: 'nginx' });
      const fd = host.sys.socket();
      const bound = fd.ok ? host.sys.bind(fd.value, HOST_ADDRESS, 80) : fd;
      return !bound.ok && bound.errno === 'EADDRINUSE' && jailTouchedHost(world);
    },
  },
  {
    name: 'binding the host address explicitly',
    attempt(world) {
      const daemon = world.kernel.spawn({ name: 'sshd', context: world.jail.id });
      const fd = daemon.sys.socket();
      if (fd.ok) daemon.sys.bind(fd.value, HOST_ADDRESS, 22);
      return world.kernel.sockets().some((s) => s.context === world.jail.id && s.localAddress === HOST_ADDRESS);
    },
  },
  {
    name: 'a fork bomb exhausting the process table',
    attempt(world) {
      const shell = world.kernel.spawn({ name: 'admin-shell' });
      const bomb: KernelProgram = (sys) => {
        for (;;) sys.fork(bomb);
      };
      runInJail(world, bomb, 5_000);
      const hostFork = shell.sys.fork(() => 0);
      return !hostFork.ok && hostFork.errno === 'EAGAIN';
    },
  },
  {
    name: 'a memory hog starving the host',
    attempt(world) {
      const shell = world.kernel.spawn({ name: 'admin-shell' });
      const hog = world.kernel.spawn({ name: 'hog', context: world.jail.id });
      while (hog.sys.alloc(16 * 1024 ** 2).ok) { /* keep eating */ }
      const hostAlloc = shell.sys.alloc(32 * 1024 ** 2);
      return !hostAlloc.ok && hostAlloc.errno === 'ENOMEM';
    },
  },
];

describe('classic escapes against the naive policy (plain chroot)', () => {
  for (const escape of ESCAPES) {
    it(`succeeds: ${escape.name}`, () => {
      expect(escape.attempt(buildJailWorld(NAIVE_POLICY))).toBe(true);
    });
  }
});

describe('classic escapes against the reference jail policy', () => {
  for (const escape of ESCAPES) {
    it(`fails: ${escape.name}`, () => {
      const world = buildJailWorld(createReferenceJailPolicy());
      expect(escape.attempt(world)).toBe(false);
      expect(world.kernel.breaches(world.jail.id)).toEqual([]);
      expect(world.kernel.readFile('/etc/master.passwd')).toBe(SECRET);
      expect(world.kernel.audit().filter((e) => e.kind === 'policy-error')).toEqual([]);
    });
  }

  it('keeps the fork bomb within the jail limit and the memory hog within its budget', () => {
    const world = buildJailWorld(createReferenceJailPolicy());
    const bomb: KernelProgram = (sys) => {
      for (;;) sys.fork(bomb);
    };
    const run = runInJail(world, bomb, 3_000);
    expect(run.budgetExhausted || run.state !== 'exited').toBe(true);
    expect(world.kernel.usage(world.jail.id).processes).toBe(20);
    const hog = buildJailWorld(createReferenceJailPolicy());
    const eater = hog.kernel.spawn({ name: 'hog', context: hog.jail.id });
    while (eater.sys.alloc(1024 ** 2).ok) { /* keep eating */ }
    const refused = eater.sys.alloc(1024 ** 2);
    expect(refused.ok ? 'ok' : refused.errno).toBe('ENOMEM');
    expect(hog.kernel.usage(hog.jail.id).memoryBytes).toBeLessThanOrEqual(64 * 1024 ** 2);
    expect(hog.kernel.usage(hog.jail.id).memoryBytes).toBeGreaterThan(60 * 1024 ** 2);
  });

  it('rewrites a wildcard bind to the jail address and hides other contexts from ps', () => {
    const world = buildJailWorld(createReferenceJailPolicy());
    const run = runInJail(world, (sys) => {
      const fd = sys.socket();
      if (!fd.ok) return fd;
      sys.bind(fd.value, '0.0.0.0', 80);
      sys.listen(fd.value);
      return sys.exit(3); // leaves nothing behind: exit closes the socket
    });
    expect(run.exitCode).toBe(3);
    expect(world.kernel.sockets()).toEqual([]);
    const daemon = world.kernel.spawn({ name: 'httpd', context: world.jail.id });
    const fd = daemon.sys.socket();
    expect(fd.ok).toBe(true);
    if (!fd.ok) return;
    expect(daemon.sys.bind(fd.value, '0.0.0.0', 80).ok).toBe(true);
    const socket = world.kernel.sockets().find((s) => s.pid === daemon.pid);
    expect(socket?.localAddress).toBe(JAIL_ADDRESS);
    const listing = daemon.sys.ps();
    expect(listing.ok && listing.value.every((p) => p.context === world.jail.id)).toBe(true);
    expect(listing.ok && listing.value.map((p) => p.pid)).toContain(daemon.pid);
  });
});
