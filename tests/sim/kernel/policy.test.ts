/** How the kernel treats the policy it consults: frozen queries, unforgeable views, failing closed. */
import { describe, expect, it } from 'vitest';
import { IsolationKernel, type IsolationPolicy, type VfsNodeInfo } from '../../../src/sim/index.ts';

function jailedShell(policy: IsolationPolicy) {
  const kernel = new IsolationKernel();
  kernel.writeFile('/jail/etc/motd', 'hi');
  const jail = kernel.createContext({ name: 'j', root: '/jail' });
  kernel.setPolicy(policy);
  return { kernel, jail, sys: kernel.spawn({ context: jail.id }).sys };
}

describe('policy consultation', () => {
  it('fails closed when a hook throws, and records why', () => {
    const { kernel, sys } = jailedShell({
      allowFileAccess: () => {
        throw new Error('bug in policy');
      },
      allowPrivileged: () => {
        throw new Error('another bug');
      },
    });
    expect(sys.readFile('/etc/motd')).toEqual({ ok: false, errno: 'EACCES' });
    expect(sys.chroot('/etc')).toEqual({ ok: false, errno: 'EPERM' });
    const errors = kernel.audit().filter((e) => e.kind === 'policy-error');
    expect(errors.map((e) => (e.kind === 'policy-error' ? [e.hook, e.message] : []))).toEqual([
      ['allowFileAccess', 'Error: bug in policy'],
      ['allowPrivileged', 'Error: another bug'],
    ]);
  });

  it('fails closed on answers that are not decisions', () => {
    const { sys } = jailedShell({
      allowFileAccess: () => 'yes' as unknown as boolean,
      bindAddress: () => 'not an address',
    });
    expect(sys.readFile('/etc/motd')).toEqual({ ok: false, errno: 'EACCES' });
    const fd = sys.socket();
    if (!fd.ok) throw new Error('socket failed');
    expect(sys.bind(fd.value, '0.0.0.0', 8080)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
  });

  it('hands hooks frozen queries and refuses views it did not mint', () => {
    const seen: VfsNodeInfo[] = [];
    const { kernel, sys } = jailedShell({
      allowFileAccess: (q) => {
        seen.push(q.node);
        (q as { op: string }).op = 'stat'; // throws: the query is frozen
        return true;
      },
    });
    expect(sys.readFile('/etc/motd')).toEqual({ ok: false, errno: 'EACCES' });
    expect(Object.isFrozen(seen[0])).toBe(true);
    const forging = jailedShell({
      allowFileAccess: (q) => q.kernel.isInsideContext({ ...q.node, hostPath: '/jail/etc/motd' }, q.context.id),
    });
    expect(forging.sys.readFile('/etc/motd')).toEqual({ ok: false, errno: 'EACCES' });
    const error = forging.kernel.audit().find((e) => e.kind === 'policy-error');
    expect(error?.kind === 'policy-error' && error.message).toMatch(/not made by this kernel/);
    expect(kernel.readFile('/jail/etc/motd')).toBe('hi');
  });

  it('answers queries about real locations, through mounts', () => {
    const answers: boolean[] = [];
    const { sys } = jailedShell({
      allowFileAccess: (q) => {
        answers.push(q.kernel.isInsideContext(q.node, q.context.id), q.kernel.isContextRoot(q.node, q.context.id));
        return true;
      },
    });
    sys.stat('/');
    sys.stat('/etc/motd');
    expect(answers).toEqual([true, true, true, false]);
  });

  it('gives programs and tests handles without reachable internals', () => {
    const kernel = new IsolationKernel();
    const handle = kernel.spawn();
    expect(Object.keys(handle.sys)).toEqual([]);
    expect(Object.isFrozen(handle.sys)).toBe(true);
    expect(Object.isFrozen(handle)).toBe(true);
    const detail = handle.detail();
    expect(Object.isFrozen(detail)).toBe(true);
    handle.sys.mkdir('/x');
    const event = kernel.audit()[0];
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(kernel.audit())).toBe(true);
  });
});
