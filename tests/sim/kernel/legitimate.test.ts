/**
 * What a jail must keep working: root inside the jail has root's powers over its own tree, and an
 * ordinary service runs as before. The same workload is checked under the naive policy (it is
 * plain Unix) and under the reference jail policy.
 */
import { describe, expect, it } from 'vitest';
import { NAIVE_POLICY, type IsolationPolicy, type SysResult, type Syscalls } from '../../../src/sim/index.ts';
import { HOST_ADDRESS, JAIL_ADDRESS, buildJailWorld } from './fixtures.ts';
import { createReferenceJailPolicy } from './reference-jail-policy.ts';

/** A jail administrator's day: every step records its result under a name. */
function adminSession(sys: Syscalls): Record<string, SysResult<unknown>> {
  const steps: Record<string, SysResult<unknown>> = {};
  steps.readPasswd = sys.readFile('/etc/passwd');
  steps.readOwnShadow = sys.readFile('/etc/master.passwd');
  steps.readOtherUsersFile = sys.readFile('/home/alice/notes.txt'); // root overrides 0600 of uid 1001
  steps.mkdir = sys.mkdir('/usr/local/www/releases');
  steps.writeRelease = sys.writeFile('/usr/local/www/releases/v2.html', '<h1>v2</h1>');
  steps.absoluteSymlink = sys.symlink('/usr/local/www/releases/v2.html', '/usr/local/www/current.html');
  steps.followAbsolute = sys.readFile('/usr/local/www/current.html');
  steps.relativeSymlink = sys.symlink('../releases/v2.html', '/usr/local/www/releases/latest.html');
  steps.followRelative = sys.readFile('/usr/local/www/releases/latest.html');
  steps.dotDotInside = sys.readFile('/usr/local/www/releases/../index.html');
  steps.dotDotAtRoot = sys.readFile('/../../etc/passwd'); // .. at the root stays at the root
  steps.chown = sys.chown('/usr/local/www/releases/v2.html', 80, 80);
  steps.chmod = sys.chmod('/home/alice/notes.txt', 0o640);
  steps.devNull = sys.writeFile('/dev/null', 'discarded');
  steps.chdir = sys.chdir('/usr/local');
  steps.getcwd = sys.getcwd();
  steps.chdirBack = sys.chdir('/');
  steps.ps = sys.ps();
  const listener = sys.socket();
  steps.socket = listener;
  if (listener.ok) {
    steps.bindLowPort = sys.bind(listener.value, '0.0.0.0', 80);
    steps.listen = sys.listen(listener.value);
    const client = sys.socket();
    if (client.ok) {
      steps.connectOwnAddress = sys.connect(client.value, JAIL_ADDRESS, 80);
      steps.accept = sys.accept(listener.value);
    }
  }
  steps.forkWorker = sys.fork((worker) => {
    worker.setuid(80);
    return worker.readFile('/usr/local/www/index.html');
  });
  const sleeper = sys.fork(() => 0);
  steps.killOwnWorker = sleeper.ok ? sys.kill(sleeper.value, 'SIGTERM') : sleeper;
  steps.alloc = sys.alloc(8 * 1024 ** 2);
  // chroot into a subdirectory of the jail (a jail inside the jail) keeps working there.
  steps.innerChroot = sys.chroot('/usr/local/www');
  steps.chdirInnerRoot = sys.chdir('/');
  steps.readInsideInner = sys.readFile('/index.html');
  steps.setuid = sys.setuid(80);
  steps.writeAsWww = sys.writeFile('/releases/v2.html', '<h1>v2.1</h1>');
  return steps;
}

function runSession(policy: IsolationPolicy) {
  const world = buildJailWorld(policy);
  const run = world.kernel.exec(adminSession, { context: world.jail.id, uid: 0, name: 'admin' });
  return { world, run, steps: run.value as Record<string, SysResult<unknown>> };
}

describe('a legitimate workload inside the jail', () => {
  for (const [label, policy] of [['naive', NAIVE_POLICY], ['reference jail', createReferenceJailPolicy()]] as const) {
    it(`works under the ${label} policy`, () => {
      const { world, run, steps } = runSession(policy);
      expect(run.error).toBeNull();
      const failed = Object.entries(steps).filter(([, result]) => !result.ok);
      expect(failed).toEqual([]);
      expect(steps.followAbsolute).toEqual({ ok: true, value: '<h1>v2</h1>' });
      expect(steps.followRelative).toEqual({ ok: true, value: '<h1>v2</h1>' });
      expect(steps.readOwnShadow).toEqual({ ok: true, value: 'jail-only secret' });
      expect(steps.dotDotAtRoot).toEqual({ ok: true, value: 'root:*:0:0\nwww:*:80:80\n' });
      expect(steps.getcwd).toEqual({ ok: true, value: '/usr/local' });
      expect(steps.readInsideInner).toEqual({ ok: true, value: '<h1>hello</h1>' });
      expect(world.kernel.readFile('/jails/www/usr/local/www/releases/v2.html')).toBe('<h1>v2.1</h1>');
      const worker = world.kernel.processes().find((p) => p.ppid === run.pid && p.uid === 80);
      expect(worker).toBeDefined();
      expect(world.kernel.processDetail(worker?.pid ?? -1).value).toEqual({ ok: true, value: '<h1>hello</h1>' });
      // Plain chroot lets the wildcard bind take every host address; nothing else leaves the jail.
      const breaches = world.kernel.breaches(world.jail.id).map((b) => b.event.kind);
      expect(breaches).toEqual(label === 'naive' ? ['bind'] : []);
    });
  }

  it('binds the wildcard to the jail address under the reference policy', () => {
    const world = buildJailWorld(createReferenceJailPolicy());
    const binds = () => world.kernel.audit().filter((e) => e.kind === 'bind');
    world.kernel.exec(adminSession, { context: world.jail.id });
    expect(binds().map((e) => (e.kind === 'bind' ? [e.requestedAddress, e.address] : []))).toContainEqual(['0.0.0.0', JAIL_ADDRESS]);
    expect(binds().every((e) => e.kind === 'bind' && e.address === JAIL_ADDRESS)).toBe(true);
  });
});

describe('a jailed client of a host service', () => {
  /** A host resolver on HOST_ADDRESS:53, and a jailed process that connects to it. */
  function connectFromJail(policy: IsolationPolicy) {
    const world = buildJailWorld(policy);
    const resolver = world.kernel.spawn({ name: 'named', uid: 0 }).sys;
    const listener = resolver.socket();
    if (!listener.ok) throw new Error('socket failed');
    expect(resolver.bind(listener.value, HOST_ADDRESS, 53)).toEqual({ ok: true, value: undefined });
    expect(resolver.listen(listener.value)).toEqual({ ok: true, value: undefined });
    const client = world.kernel.spawn({ name: 'dig', uid: 0, context: world.jail.id }).sys;
    const fd = client.socket();
    if (!fd.ok) throw new Error('socket failed');
    const connected = client.connect(fd.value, HOST_ADDRESS, 53);
    const accepted = resolver.accept(listener.value);
    const jailSocket = world.kernel.sockets().find((s) => s.context === world.jail.id);
    const hostSide = world.kernel.sockets().find((s) => s.context === 0 && s.state === 'connected');
    return { world, connected, accepted, jailSocket, hostSide };
  }

  it('connects through the reference policy, from the jail\'s own address', () => {
    const { world, connected, accepted, jailSocket, hostSide } = connectFromJail(createReferenceJailPolicy());
    expect(connected).toEqual({ ok: true, value: undefined });
    expect(accepted.ok).toBe(true);
    expect(jailSocket).toMatchObject({ state: 'connected', localAddress: JAIL_ADDRESS, remoteAddress: HOST_ADDRESS, remotePort: 53 });
    expect(hostSide).toMatchObject({ localAddress: HOST_ADDRESS, localPort: 53, remoteAddress: JAIL_ADDRESS });
    expect(world.kernel.breaches(world.jail.id)).toEqual([]);
  });

  it('asks the policy for the wildcard on the implicit bind, so a jail policy maps it', () => {
    const asked: { address: string; port: number }[] = [];
    const reference = createReferenceJailPolicy();
    const recording: IsolationPolicy = {
      ...reference,
      bindAddress: (q) => {
        if (q.context.id !== 0) asked.push({ address: q.address, port: q.port });
        return reference.bindAddress?.(q) ?? q.address;
      },
    };
    const { connected } = connectFromJail(recording);
    expect(connected).toEqual({ ok: true, value: undefined });
    expect(asked).toEqual([{ address: '0.0.0.0', port: 0 }]);
  });

  it('under plain chroot, takes the source address the route gives (the host\'s own)', () => {
    const { world, connected, jailSocket } = connectFromJail(NAIVE_POLICY);
    expect(connected).toEqual({ ok: true, value: undefined });
    expect(jailSocket).toMatchObject({ state: 'connected', localAddress: HOST_ADDRESS });
    expect(world.kernel.breaches(world.jail.id).map((b) => b.event.kind)).toEqual(['bind']);
  });
});
