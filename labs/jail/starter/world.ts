/**
 * The machine the tests build around your policy (read-only: the grader always uses this copy).
 *
 * One simulated kernel with:
 * - the host (context 0): a secret file, raw device nodes in /dev, resident daemons (root);
 * - the jail under test, a small userland in its own subtree, one address, process and memory
 *   limits; its tree holds a *decoy* at the same path as the host's secret, so a `..` that stops
 *   at the jail's root reads the jail's own file;
 * - a neighbour jail with a resident process;
 * - a "twin" directory next to the jail whose path starts with the jail's path (an old copy of it).
 *
 * `buildWorld(policy)` builds the hand-picked world (the jail at /jails/www); `buildWorld(policy,
 * seed)` builds a random one: other paths, file names, addresses, limits and daemons.
 */
import {
  IsolationKernel, SeededRandom, type IsolationPolicy, type KernelContextInfo, type KernelProgram, type KernelRunOutcome,
} from '@virtlab/sim';

export interface JailWorld {
  /** The privileged kernel: the tests read the truth from it (audit log, files, processes, sockets). */
  readonly kernel: IsolationKernel;
  /** The jail under test. */
  readonly jail: KernelContextInfo;
  /** Another jail on the same host. */
  readonly neighbour: KernelContextInfo;
  /** Host path of the jail's root, e.g. `/jails/www`. */
  readonly jailRoot: string;
  /** A host directory whose path starts with the jail's, e.g. `/jails/www.old` (not part of the jail). */
  readonly twinRoot: string;
  /** Host path of the host's secret; the jail holds a decoy at the same path inside its root. */
  readonly secretPath: string;
  readonly secret: string;
  /** The content of the jail's own file at `secretPath`. */
  readonly decoy: string;
  readonly hostAddress: string;
  readonly jailAddress: string;
  readonly neighbourAddress: string;
  readonly limits: { readonly maxProcesses: number; readonly maxMemoryBytes: number };
  /** Resident host daemons. */
  readonly hostDaemons: readonly { readonly pid: number; readonly name: string }[];
  /** A resident process of the neighbour jail. */
  readonly neighbourPid: number;
  /** Random choices for the test itself, continuing the world's seeded sequence (fixed seed 1 for the hand-picked world). */
  readonly rng: SeededRandom;
  /** Host paths the builder created, with their kinds (for pictures). */
  readonly built: readonly { readonly path: string; readonly kind: 'dir' | 'file' | 'device' | 'symlink' }[];
}

const MIB = 1024 ** 2;
const JAIL_PARENTS = ['/jails', '/usr/jails', '/srv/jails', '/vm', '/home/jails', '/zones', '/var/jail'];
const JAIL_NAMES = ['www', 'db', 'mail', 'build', 'shop', 'wiki', 'ci', 'dns', 'cache', 'blog'];
const TWIN_SUFFIXES = ['.old', '2', '-backup', '_prev', 'x'];
const SECRET_PATHS = ['/etc/master.passwd', '/etc/shadow', '/root/.ssh/id_ed25519', '/var/db/vault.db', '/usr/local/etc/api.key'];
const DAEMONS = ['sshd', 'cron', 'syslogd', 'ntpd', 'postfix', 'named', 'inetd'];

interface Layout {
  jailRoot: string;
  twinRoot: string;
  neighbourRoot: string;
  secretPath: string;
  secret: string;
  decoy: string;
  hostAddress: string;
  jailAddress: string;
  neighbourAddress: string;
  limits: { maxProcesses: number; maxMemoryBytes: number };
  daemons: { name: string; uid: number }[];
}

const HAND_PICKED: Layout = {
  jailRoot: '/jails/www',
  twinRoot: '/jails/www.old',
  neighbourRoot: '/jails/db',
  secretPath: '/etc/master.passwd',
  secret: 'root:$1$hostsecret$:0:0',
  decoy: 'root:$1$jailsecret$:0:0',
  hostAddress: '192.0.2.1',
  jailAddress: '192.0.2.10',
  neighbourAddress: '192.0.2.11',
  limits: { maxProcesses: 20, maxMemoryBytes: 64 * MIB },
  daemons: [{ name: 'sshd', uid: 0 }, { name: 'cron', uid: 0 }, { name: 'syslogd', uid: 0 }],
};

function randomLayout(rng: SeededRandom): Layout {
  const parent = rng.pick(JAIL_PARENTS);
  const [name, neighbourName] = rng.shuffle(JAIL_NAMES) as [string, string];
  const jailRoot = `${parent}/${name}${rng.chance(0.5) ? String(rng.int(1, 9)) : ''}`;
  const net = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.`;
  const daemonNames = rng.shuffle(DAEMONS).slice(0, rng.int(2, 4));
  return {
    jailRoot,
    twinRoot: jailRoot + rng.pick(TWIN_SUFFIXES),
    neighbourRoot: `${parent}/${neighbourName}`,
    secretPath: rng.pick(SECRET_PATHS),
    secret: `host-secret-${rng.int(100_000, 999_999)}`,
    decoy: `jail-own-${rng.int(100_000, 999_999)}`,
    hostAddress: `${net}1`,
    jailAddress: `${net}${rng.int(2, 126)}`,
    neighbourAddress: `${net}${rng.int(127, 250)}`,
    limits: { maxProcesses: rng.int(6, 24), maxMemoryBytes: rng.int(32, 96) * MIB + rng.int(0, 1023) * 1024 },
    daemons: daemonNames.map((daemon) => ({ name: daemon, uid: rng.pick([0, 0, 25, 53]) })),
  };
}

/**
 * Builds the world and installs `policy` (made by your `createJailPolicy()`).
 * @param seed null: the hand-picked world; a number: a random world from that seed.
 */
export function buildWorld(policy: IsolationPolicy, seed: number | null = null): JailWorld {
  const rng = new SeededRandom(seed ?? 1);
  const layout = seed === null ? HAND_PICKED : randomLayout(rng);
  const { jailRoot, twinRoot, neighbourRoot, secretPath } = layout;
  const kernel = new IsolationKernel({
    interfaces: [
      { name: 'lo0', addresses: ['127.0.0.1'] },
      { name: 'em0', addresses: [layout.hostAddress, layout.jailAddress, layout.neighbourAddress] },
    ],
    maxProcesses: 200,
    memoryBytes: 512 * MIB,
  });
  const built: { path: string; kind: 'dir' | 'file' | 'device' | 'symlink' }[] = [];
  const file = (path: string, content: string, owner: { uid?: number; gid?: number; mode?: number } = {}): void => {
    kernel.writeFile(path, content, owner);
    built.push({ path, kind: 'file' });
  };
  const dir = (path: string, owner: { mode?: number } = {}): void => {
    kernel.makeDir(path, owner);
    built.push({ path, kind: 'dir' });
  };
  const device = (path: string, name: string, mode = 0o600): void => {
    kernel.makeDevice(path, name, { mode });
    built.push({ path, kind: 'device' });
  };

  // The host.
  file(secretPath, layout.secret, { mode: 0o600 });
  file('/etc/motd', 'welcome to the host\n');
  dir('/var/log');
  device('/dev/disk0', 'disk0');
  device('/dev/mem', 'mem');
  device('/dev/null', 'null', 0o666);
  // The twin: an old copy of the jail, outside it, whose path starts with the jail's path.
  file(`${twinRoot}/etc/passwd`, 'root:*:0:0\n');
  file(`${twinRoot}${secretPath}`, `${layout.secret}-old`, { mode: 0o600 });
  // The jail's own userland.
  file(`${jailRoot}/etc/passwd`, 'root:*:0:0\nwww:*:80:80\n');
  file(`${jailRoot}${secretPath}`, layout.decoy, { mode: 0o600 });
  file(`${jailRoot}/usr/local/www/index.html`, '<h1>hello</h1>', { uid: 80, gid: 80 });
  file(`${jailRoot}/home/alice/notes.txt`, 'private notes', { uid: 1001, gid: 1001, mode: 0o600 });
  dir(`${jailRoot}/tmp`, { mode: 0o777 });
  dir(`${jailRoot}/var/run`);
  dir(`${jailRoot}/var/log`);
  dir(`${jailRoot}/mnt`);
  device(`${jailRoot}/dev/null`, 'null', 0o666);
  device(`${jailRoot}/dev/zero`, 'zero', 0o666);
  device(`${jailRoot}/dev/console`, 'console', 0o620);
  // The neighbour jail.
  file(`${neighbourRoot}/etc/passwd`, 'root:*:0:0\npgsql:*:70:70\n');

  const jail = kernel.createContext({ name: 'jail', root: jailRoot, addresses: [layout.jailAddress], limits: layout.limits });
  const neighbour = kernel.createContext({
    name: 'neighbour', root: neighbourRoot, addresses: [layout.neighbourAddress], limits: { maxProcesses: 20, maxMemoryBytes: 64 * MIB },
  });
  kernel.setPolicy(policy);
  const hostDaemons = layout.daemons.map((daemon) => ({ pid: kernel.spawn({ name: daemon.name, uid: daemon.uid }).pid, name: daemon.name }));
  const neighbourPid = kernel.spawn({ name: 'postgres', uid: 70, gid: 70, context: neighbour.id }).pid;
  return {
    kernel, jail, neighbour, jailRoot, twinRoot, secretPath, secret: layout.secret, decoy: layout.decoy,
    hostAddress: layout.hostAddress, jailAddress: layout.jailAddress, neighbourAddress: layout.neighbourAddress,
    limits: layout.limits, hostDaemons, neighbourPid, rng, built,
  };
}

/** Runs `program` as a process of the jail (root unless `uid` is given) until it and its children finish. */
export function runInJail(
  world: JailWorld, program: KernelProgram, options: { uid?: number; name?: string; maxSyscalls?: number } = {},
): KernelRunOutcome {
  return world.kernel.exec(program, {
    context: world.jail.id, uid: options.uid ?? 0, gid: options.uid ?? 0, name: options.name ?? 'sh', maxSyscalls: options.maxSyscalls ?? 20_000,
  });
}

/**
 * A host launcher that opens `hostDir` (a host path), then enters the jail without closing the
 * descriptor, and runs `attack` with it (how a careless launcher leaks a directory into a jail).
 */
export function launchWithDescriptor(
  world: JailWorld, hostDir: string, attack: (sys: Parameters<KernelProgram>[0], fd: number) => unknown,
): KernelRunOutcome {
  return world.kernel.exec((sys) => {
    const fd = sys.open(hostDir, 'r');
    if (!fd.ok) return `launcher could not open ${hostDir}: ${fd.errno}`;
    const attached = sys.jailAttach(world.jail.id);
    if (!attached.ok) return `launcher could not enter the jail: ${attached.errno}`;
    return attack(sys, fd.value);
  }, { name: 'launcher', maxSyscalls: 20_000 });
}

/** What the kernel says about the jail's containment: read from the audit log and the host's files. */
export interface Containment {
  /** Each way the jail reached beyond its bounds (`kernel.breaches`), as text. */
  readonly breaches: readonly string[];
  /** Hooks of the policy that threw or answered with a non-decision. */
  readonly policyErrors: readonly string[];
  /** Whether the host's secret file still holds the secret. */
  readonly secretIntact: boolean;
}

export function containment(world: JailWorld): Containment {
  return {
    breaches: world.kernel.breaches(world.jail.id).map((b) => b.reason),
    policyErrors: world.kernel.audit().flatMap((e) => (e.kind === 'policy-error' ? [`${e.hook}: ${e.message}`] : [])),
    secretIntact: hostFile(world, world.secretPath) === world.secret,
  };
}

/** The content of a host file as it really is, or null if it is missing or not a file. */
export function hostFile(world: JailWorld, path: string): string | null {
  try {
    return world.kernel.readFile(path);
  } catch {
    return null;
  }
}

/** Host paths the jail's processes read, according to the kernel's audit log. */
export function filesReadByJail(world: JailWorld): string[] {
  return world.kernel.audit().flatMap((e) => (e.kind === 'file' && e.op === 'read' && e.context === world.jail.id ? [e.hostPath] : []));
}

/** A path relative to the jail's root, as a host path. */
export function inJail(world: JailWorld, path: string): string {
  return `${world.jailRoot}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Where a host path lies, seen from the jail. */
export type Place = 'jail' | 'neighbour' | 'host';

/** What the kernel saw, as plain data small enough to draw (what the public tests attach for the picture). */
export interface WorldSnapshot {
  readonly jailRoot: string;
  readonly neighbourRoot: string;
  readonly secretPath: string;
  readonly jailAddress: string;
  /** The builder's paths plus those created since, each with where it lies and whether the jail reached it. */
  readonly tree: readonly { readonly path: string; readonly kind: string; readonly place: Place; readonly touchedByJail: boolean }[];
  readonly processes: readonly { readonly pid: number; readonly place: Place; readonly name: string; readonly state: string }[];
  readonly sockets: readonly { readonly pid: number; readonly place: Place; readonly address: string | null; readonly port: number | null }[];
  readonly breaches: readonly string[];
}

export function snapshot(world: JailWorld): WorldSnapshot {
  const placeOfContext = (ctx: number): Place => (ctx === world.jail.id ? 'jail' : ctx === world.neighbour.id ? 'neighbour' : 'host');
  const within = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);
  const placeOfPath = (path: string): Place =>
    within(path, world.jailRoot) ? 'jail' : within(path, world.neighbour.rootPath) ? 'neighbour' : 'host';
  const kinds = new Map<string, string>(world.built.map((entry) => [entry.path, entry.kind]));
  const touched = new Set<string>();
  for (const event of world.kernel.audit()) {
    const path = 'hostPath' in event ? event.hostPath : null;
    if (path === null) continue;
    const created = (event.kind === 'file' && event.op === 'create') || (event.kind === 'device' && event.op === 'mknod');
    const jailed = event.context === world.jail.id;
    // New nodes, and anything the jail reached outside its tree, join the builder's paths.
    if ((created || (jailed && placeOfPath(path) !== 'jail')) && !kinds.has(path)) {
      kinds.set(path, event.kind === 'file' ? event.nodeKind : event.kind === 'device' ? 'device' : 'dir');
    }
    if (jailed) touched.add(path);
  }
  // Code-unit order, not localeCompare: the picture must be the same in every browser and locale.
  const tree = [...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, 200)
    .map(([path, kind]) => ({ path, kind, place: placeOfPath(path), touchedByJail: touched.has(path) }));
  return {
    jailRoot: world.jailRoot,
    neighbourRoot: world.neighbour.rootPath,
    secretPath: world.secretPath,
    jailAddress: world.jailAddress,
    tree,
    processes: world.kernel.processes().slice(0, 60)
      .map((p) => ({ pid: p.pid, place: placeOfContext(p.context), name: p.name, state: p.state })),
    sockets: world.kernel.sockets().slice(0, 30)
      .map((s) => ({ pid: s.pid, place: placeOfContext(s.context), address: s.localAddress, port: s.localPort })),
    breaches: world.kernel.breaches(world.jail.id).slice(0, 30).map((b) => b.reason),
  };
}
