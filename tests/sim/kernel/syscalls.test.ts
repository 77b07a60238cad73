/** Unix semantics of the simulated system calls, their errno results and API misuse errors. */
import { describe, expect, it } from 'vitest';
import { IsolationKernel, SimError, type IsolationPolicy } from '../../../src/sim/index.ts';

function hostWithFiles() {
  const kernel = new IsolationKernel();
  kernel.writeFile('/etc/shadow', 'secret', { mode: 0o600 });
  kernel.writeFile('/home/bob/plan.txt', 'plan', { uid: 1000, gid: 1000, mode: 0o644 });
  kernel.makeDir('/home/bob/private', { uid: 1000, gid: 1000, mode: 0o700 });
  kernel.makeSymlink('/loop1', '/loop2');
  kernel.makeSymlink('/loop2', '/loop1');
  return kernel;
}

describe('file system calls', () => {
  it('return errno results for the usual failures', () => {
    const kernel = hostWithFiles();
    const root = kernel.spawn({ name: 'root' }).sys;
    const bob = kernel.spawn({ name: 'bob', uid: 1000, gid: 1000 }).sys;
    const alice = kernel.spawn({ name: 'alice', uid: 1001, gid: 1001 }).sys;
    expect(root.open('/nope')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(root.open('/etc/shadow/x')).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(root.open('/loop1')).toEqual({ ok: false, errno: 'ELOOP' });
    expect(root.open('/etc', 'w')).toEqual({ ok: false, errno: 'EISDIR' });
    expect(root.open('/etc/shadow', 'wx')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(root.mkdir('/etc')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(root.read(99)).toEqual({ ok: false, errno: 'EBADF' });
    expect(root.readlink('/etc/shadow')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(bob.readFile('/etc/shadow')).toEqual({ ok: false, errno: 'EACCES' });
    expect(alice.readFile('/home/bob/private/x')).toEqual({ ok: false, errno: 'EACCES' });
    expect(alice.writeFile('/home/bob/plan.txt', 'mine')).toEqual({ ok: false, errno: 'EACCES' });
    expect(bob.chroot('/home/bob')).toEqual({ ok: false, errno: 'EPERM' });
    expect(bob.mknod('/home/bob/disk', 'block', 8, 0)).toEqual({ ok: false, errno: 'EPERM' });
    expect(bob.mount(null, '/home/bob/private', 'tmpfs')).toEqual({ ok: false, errno: 'EPERM' });
    expect(bob.setuid(0)).toEqual({ ok: false, errno: 'EPERM' });
    expect(bob.chown('/home/bob/plan.txt', 1001, 1001)).toEqual({ ok: false, errno: 'EPERM' });
    expect(alice.chmod('/home/bob/plan.txt', 0o777)).toEqual({ ok: false, errno: 'EPERM' });
    expect(root.unlink('/home/bob')).toEqual({ ok: false, errno: 'ENOTEMPTY' });
    expect(root.readFile('/home/bob/plan.txt')).toEqual({ ok: true, value: 'plan' });
    // The creator may write a file it creates read-only; nobody may open it for writing afterwards.
    expect(bob.writeFile('/home/bob/private/ro.txt', 'draft', 0o444)).toEqual({ ok: true, value: 5 });
    expect(bob.open('/home/bob/private/ro.txt', 'a')).toEqual({ ok: false, errno: 'EACCES' });
  });

  it('reads, writes, appends and truncates with offsets', () => {
    const kernel = new IsolationKernel();
    const sys = kernel.spawn().sys;
    const fd = sys.open('/notes', 'w+');
    expect(fd.ok).toBe(true);
    if (!fd.ok) return;
    expect(sys.write(fd.value, 'hello world')).toEqual({ ok: true, value: 11 });
    sys.close(fd.value);
    const again = sys.open('/notes', 'r');
    if (!again.ok) throw new Error('open failed');
    expect(sys.read(again.value, 5)).toEqual({ ok: true, value: 'hello' });
    expect(sys.read(again.value)).toEqual({ ok: true, value: ' world' });
    expect(sys.write(again.value, 'x')).toEqual({ ok: false, errno: 'EBADF' });
    const log = sys.open('/notes', 'a');
    if (!log.ok) throw new Error('open failed');
    sys.write(log.value, '!');
    expect(kernel.readFile('/notes')).toBe('hello world!');
    sys.writeFile('/notes', 'short');
    expect(kernel.readFile('/notes')).toBe('short');
    expect(sys.stat('/notes')).toMatchObject({ ok: true, value: { kind: 'file', size: 5, uid: 0 } });
    expect(sys.unlink('/notes')).toEqual({ ok: true, value: undefined });
    expect(kernel.exists('/notes')).toBe(false);
  });

  it('resolves .. at the process root to the root, and chroot leaves the working directory alone', () => {
    const kernel = new IsolationKernel();
    kernel.writeFile('/srv/app/etc/conf', 'app');
    kernel.writeFile('/etc/conf', 'host');
    const sys = kernel.spawn().sys;
    expect(sys.chdir('/srv').ok).toBe(true);
    expect(sys.chroot('/srv/app').ok).toBe(true);
    expect(sys.readFile('/etc/conf')).toEqual({ ok: true, value: 'app' });
    expect(sys.readFile('/../../etc/conf')).toEqual({ ok: true, value: 'app' });
    expect(sys.getcwd()).toEqual({ ok: true, value: '(unreachable)/srv' });
    expect(sys.readFile('../etc/conf')).toEqual({ ok: true, value: 'host' });
  });

  it('mounts a tmpfs over a directory and climbs out of it with ..', () => {
    const kernel = new IsolationKernel();
    kernel.writeFile('/data/hidden', 'under the mount');
    kernel.writeFile('/top', 'top');
    const sys = kernel.spawn().sys;
    expect(sys.mount(null, '/data', 'tmpfs').ok).toBe(true);
    expect(sys.readdir('/data')).toEqual({ ok: true, value: [] });
    expect(sys.writeFile('/data/new', 'on tmpfs').ok).toBe(true);
    expect(sys.readFile('/data/../top')).toEqual({ ok: true, value: 'top' });
    expect(kernel.readFile('/data/new')).toBe('on tmpfs');
  });

  it('reports symlink targets and follows them only where asked', () => {
    const kernel = new IsolationKernel();
    kernel.writeFile('/a/file', 'content');
    const sys = kernel.spawn().sys;
    expect(sys.symlink('/a/file', '/link').ok).toBe(true);
    expect(sys.readlink('/link')).toEqual({ ok: true, value: '/a/file' });
    expect(sys.lstat('/link')).toMatchObject({ ok: true, value: { kind: 'symlink' } });
    expect(sys.stat('/link')).toMatchObject({ ok: true, value: { kind: 'file' } });
    expect(sys.symlink('/nowhere', '/dangling').ok).toBe(true);
    expect(sys.readFile('/dangling')).toEqual({ ok: false, errno: 'ENOENT' });
  });
});

describe('processes', () => {
  it('forks children that inherit identity and run after the parent', () => {
    const kernel = new IsolationKernel();
    const order: string[] = [];
    const run = kernel.exec((sys) => {
      const child = sys.fork((c) => {
        order.push('child');
        return c.getppid();
      });
      order.push('parent');
      return child;
    }, { uid: 5 });
    expect(order).toEqual(['parent', 'child']);
    const childPid = (run.value as { ok: true; value: number }).value;
    expect(kernel.processDetail(childPid)).toMatchObject({ uid: 5, ppid: run.pid, state: 'exited', value: { ok: true, value: run.pid } });
  });

  it('applies uid rules to kill and ptrace and reports ESRCH for missing processes', () => {
    const kernel = new IsolationKernel();
    const daemon = kernel.spawn({ name: 'daemon', uid: 0 });
    const user = kernel.spawn({ name: 'user', uid: 1000 });
    expect(user.sys.kill(daemon.pid)).toEqual({ ok: false, errno: 'EPERM' });
    expect(user.sys.ptrace(daemon.pid, () => 1)).toEqual({ ok: false, errno: 'EPERM' });
    expect(user.sys.kill(4242)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(user.sys.ptrace(user.pid, () => 1)).toEqual({ ok: false, errno: 'EPERM' });
    expect(daemon.sys.kill(user.pid, 0)).toEqual({ ok: true, value: undefined });
    expect(daemon.sys.ptrace(user.pid, (u) => u.getuid())).toEqual({ ok: true, value: { ok: true, value: 1000 } });
    expect(daemon.sys.kill(user.pid, 'SIGKILL').ok).toBe(true);
    expect(kernel.processDetail(user.pid)).toMatchObject({ state: 'exited', exitCode: 137 });
    expect(() => user.sys.getpid()).toThrow(/has exited/); // a dead process can make no calls
  });

  it('crashes only the process whose program throws', () => {
    const kernel = new IsolationKernel();
    const run = kernel.exec((sys) => {
      sys.fork(() => {
        throw new Error('boom');
      });
      return 'parent done';
    });
    expect(run.value).toBe('parent done');
    const child = kernel.processes().find((p) => p.ppid === run.pid);
    expect(kernel.processDetail(child?.pid ?? -1)).toMatchObject({ exitCode: 134, error: 'Error: boom' });
  });

  it('stops runaway programs with the system-call budget', () => {
    const kernel = new IsolationKernel();
    const run = kernel.exec((sys) => {
      for (;;) sys.getpid();
    }, { maxSyscalls: 500 });
    expect(run.runSyscalls).toBe(500);
    expect(run.state).toBe('sleeping');
  });

  it('leaves a traced process as it was when the budget stops the tracer inside ptrace', () => {
    const kernel = new IsolationKernel();
    const daemon = kernel.spawn({ name: 'daemon', uid: 1000 });
    expect(kernel.processDetail(daemon.pid).state).toBe('sleeping');
    const run = kernel.exec((sys) => sys.ptrace(daemon.pid, (target) => {
      for (;;) target.getpid();
    }), { maxSyscalls: 200 });
    expect(run.runSyscalls).toBe(200);
    expect(run.state).toBe('sleeping');
    expect(kernel.processDetail(daemon.pid).state).toBe('sleeping');
    expect(daemon.sys.getuid()).toEqual({ ok: true, value: 1000 });
  });
});

describe('sockets', () => {
  it('binds, listens, connects and accepts on local addresses', () => {
    const kernel = new IsolationKernel();
    const server = kernel.spawn({ name: 'server' }).sys;
    const client = kernel.spawn({ name: 'client', uid: 1000 }).sys;
    const listener = server.socket();
    if (!listener.ok) throw new Error('socket failed');
    expect(server.bind(listener.value, '10.9.9.9', 80)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
    expect(server.bind(listener.value, '0.0.0.0', 80).ok).toBe(true);
    expect(server.listen(listener.value).ok).toBe(true);
    const other = server.socket();
    if (!other.ok) throw new Error('socket failed');
    expect(server.bind(other.value, '192.0.2.1', 80)).toEqual({ ok: false, errno: 'EADDRINUSE' });
    const lowPort = client.socket();
    if (!lowPort.ok) throw new Error('socket failed');
    expect(client.bind(lowPort.value, '127.0.0.1', 25)).toEqual({ ok: false, errno: 'EACCES' });
    const conn = client.socket();
    if (!conn.ok) throw new Error('socket failed');
    expect(client.connect(conn.value, '127.0.0.1', 81)).toEqual({ ok: false, errno: 'ECONNREFUSED' });
    const conn2 = client.socket();
    if (!conn2.ok) throw new Error('socket failed');
    expect(client.connect(conn2.value, '192.0.2.1', 80).ok).toBe(true);
    expect(server.accept(listener.value).ok).toBe(true);
    expect(server.accept(listener.value)).toEqual({ ok: false, errno: 'EAGAIN' });
    expect(kernel.sockets().find((s) => s.state === 'listening')).toMatchObject({ localAddress: '0.0.0.0', localPort: 80 });
  });
});

describe('misuse of the API', () => {
  it('throws SimError for invalid arguments instead of returning an errno', () => {
    const kernel = new IsolationKernel();
    const sys = kernel.spawn().sys;
    const bad = sys as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => bad.open?.call(sys, 42)).toThrow(SimError);
    expect(() => bad.open?.call(sys, '/x', 'rw')).toThrow(/open flags/);
    expect(() => bad.bind?.call(sys, 0, 'localhost', 80)).toThrow(SimError);
    expect(() => bad.bind?.call(sys, 0, '127.0.0.1', 70000)).toThrow(/port/);
    expect(() => bad.fork?.call(sys, 'not a program')).toThrow(SimError);
    expect(() => sys.alloc(-1)).toThrow(SimError);
    expect(() => sys.exit(300)).toThrow(SimError);
    expect(() => kernel.processDetail(999)).toThrow(SimError);
    expect(() => kernel.createContext({ name: 'x', root: '/missing' })).toThrow(SimError);
    kernel.makeDir('/jail');
    expect(() => kernel.createContext({ name: 'x', root: '/jail', addresses: ['10.1.1.1'] })).toThrow(/not an address/);
    expect(() => kernel.spawn({ context: 7 })).toThrow(SimError);
    expect(() => kernel.makeDevice('/dev/sda', 'sda')).toThrow(/no device named/);
    expect(() => new IsolationKernel({ maxProcesses: 0 })).toThrow(SimError);
    expect(() => kernel.setPolicy(null as unknown as IsolationPolicy)).toThrow(SimError);
    expect(() => kernel.exec((s) => s.open(7 as unknown as string))).not.toThrow();
  });

  it('records a program that misuses the API as crashed with the SimError message', () => {
    const kernel = new IsolationKernel();
    const run = kernel.exec((s) => s.open(7 as unknown as string));
    expect(run.exitCode).toBe(134);
    expect(run.error).toMatch(/^SimError: a path must be a string/);
  });
});
