/** A host with one jail, shared by the kernel tests. */
import { IsolationKernel, type IsolationPolicy, type KernelContextInfo } from '../../../src/sim/index.ts';

export const SECRET = 'root:$1$hostsecret$:0:0';
export const JAIL_ROOT = '/jails/www';
export const HOST_ADDRESS = '192.0.2.1';
export const JAIL_ADDRESS = '192.0.2.10';
export const OTHER_JAIL_ADDRESS = '192.0.2.11';

export interface JailWorld {
  readonly kernel: IsolationKernel;
  readonly jail: KernelContextInfo;
  readonly other: KernelContextInfo;
  /** A resident host daemon (root) the jail must not reach. */
  readonly hostDaemonPid: number;
  /** A resident process in the other jail. */
  readonly otherJailPid: number;
}

export function buildJailWorld(policy: IsolationPolicy | null, limits = { maxProcesses: 20, maxMemoryBytes: 64 * 1024 ** 2 }): JailWorld {
  const kernel = new IsolationKernel({
    interfaces: [
      { name: 'lo0', addresses: ['127.0.0.1'] },
      { name: 'em0', addresses: [HOST_ADDRESS, JAIL_ADDRESS, OTHER_JAIL_ADDRESS] },
    ],
    maxProcesses: 200,
    memoryBytes: 512 * 1024 ** 2,
  });
  kernel.writeFile('/etc/master.passwd', SECRET, { mode: 0o600 });
  kernel.writeFile('/etc/motd', 'welcome to the host\n');
  kernel.makeDir('/var/log');
  kernel.makeDevice('/dev/disk0', 'disk0');
  kernel.makeDevice('/dev/null', 'null', { mode: 0o666 });
  // The jail's own tree: a small userland.
  kernel.writeFile(`${JAIL_ROOT}/etc/passwd`, 'root:*:0:0\nwww:*:80:80\n');
  kernel.writeFile(`${JAIL_ROOT}/etc/master.passwd`, 'jail-only secret', { mode: 0o600 });
  kernel.writeFile(`${JAIL_ROOT}/usr/local/www/index.html`, '<h1>hello</h1>', { uid: 80, gid: 80 });
  kernel.writeFile(`${JAIL_ROOT}/home/alice/notes.txt`, 'private notes', { uid: 1001, gid: 1001, mode: 0o600 });
  kernel.makeDir(`${JAIL_ROOT}/tmp`, { mode: 0o777 });
  kernel.makeDir(`${JAIL_ROOT}/var/run`);
  kernel.makeDir(`${JAIL_ROOT}/mnt`);
  kernel.makeDevice(`${JAIL_ROOT}/dev/null`, 'null', { mode: 0o666 });
  kernel.writeFile('/jails/db/etc/passwd', 'root:*:0:0\n');
  const jail = kernel.createContext({ name: 'www', root: JAIL_ROOT, addresses: [JAIL_ADDRESS], limits });
  const other = kernel.createContext({ name: 'db', root: '/jails/db', addresses: [OTHER_JAIL_ADDRESS], limits });
  if (policy !== null) kernel.setPolicy(policy);
  const hostDaemonPid = kernel.spawn({ name: 'sshd', uid: 0 }).pid;
  const otherJailPid = kernel.spawn({ name: 'postgres', uid: 70, context: other.id }).pid;
  return { kernel, jail, other, hostDaemonPid, otherJailPid };
}
