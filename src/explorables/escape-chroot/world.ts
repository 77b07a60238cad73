/**
 * The machine of lesson 4's chroot-escape explorable: one simulated kernel with a host secret,
 * and a confined tree holding a small userland and its own copy of the secret's file (a decoy),
 * so a climb stopped at the confined root reads the confined copy, not the host's. The seed
 * picks where the tree lies (so how many `..` the climb needs), which file the secret is and
 * its content.
 */
import { SeededRandom } from '../../sim/common/rng.ts';
import { IsolationKernel, type KernelContextInfo } from '../../sim/kernel/index.ts';

const PARENTS = ['/jails', '/usr/jails', '/srv/jails', '/home/jails', '/var/jail'];
const NAMES = ['www', 'db', 'mail', 'shop', 'wiki'];
const SECRET_FILES = ['/etc/master.passwd', '/etc/shadow', '/root/.ssh/id_ed25519'];

export interface EscapeWorld {
  /** The privileged kernel: the explorable reads the truth (audit log, processes, host files) from it. */
  readonly kernel: IsolationKernel;
  /** The confined context the attacker runs in. */
  readonly jail: KernelContextInfo;
  /** Host path of the confined tree's root, e.g. `/jails/www`. */
  readonly jailRoot: string;
  /** The secret's path: on the host, and (with the decoy) inside the confined tree. */
  readonly secretPath: string;
  readonly secret: string;
  readonly decoy: string;
}

export function buildWorld(seed: number): EscapeWorld {
  const random = new SeededRandom(seed);
  const jailRoot = `${random.pick(PARENTS)}/${random.pick(NAMES)}`;
  const secretPath = random.pick(SECRET_FILES);
  const secret = `host secret ${random.int(0, 0xffffff).toString(16).padStart(6, '0')}`;
  const decoy = 'the jail’s own copy';
  const kernel = new IsolationKernel();
  kernel.writeFile(secretPath, secret, { mode: 0o600 });
  kernel.makeDevice('/dev/disk0', 'disk0');
  kernel.writeFile(`${jailRoot}${secretPath}`, decoy, { mode: 0o600 });
  kernel.writeFile(`${jailRoot}/etc/passwd`, 'root:*:0:0\n');
  kernel.makeDir(`${jailRoot}/tmp`, { mode: 0o777 });
  kernel.makeDir(`${jailRoot}/var/run`);
  const jail = kernel.createContext({ name: jailRoot.slice(jailRoot.lastIndexOf('/') + 1), root: jailRoot });
  return { kernel, jail, jailRoot, secretPath, secret, decoy };
}
