/**
 * The four classic ways out of a chroot (lesson 4's table), each a program of system calls made
 * one at a time. A program is a generator: each `yield` is one system call, so the explorable
 * can stop after any of them and draw the process's root and working directory. The calls are
 * the simulator's own (`Syscalls`); nothing here decides whether they succeed.
 */
import type { SysResult, Syscalls } from '../../sim/kernel/index.ts';
import type { EscapeId } from './options.ts';
import type { EscapeWorld } from './world.ts';

/** Who makes a call: root inside the confinement, or a host process (root on the host). */
export type Actor = 'jailed root' | 'host rc script';

/** One system call as a program made it. */
export interface Call {
  readonly actor: Actor;
  /** The call as C would write it, e.g. `chdir("..")`. */
  readonly text: string;
  readonly result: SysResult<unknown>;
  /** The program's last call: the one whose result says whether it got anything. */
  readonly final: boolean;
}

/** The processes a program may use: the attacker, and (for the planted link) a host script started on demand. */
export interface Actors {
  readonly jailed: Syscalls;
  host(): Syscalls;
}

export type EscapeProgram = (world: EscapeWorld, actors: Actors) => Generator<Call, void, void>;

/** More than any tree here is deep: a real attacker does not know the depth either. */
export const MAX_CLIMBS = 12;

const call = (text: string, result: SysResult<unknown>, actor: Actor = 'jailed root'): Call => ({ actor, text, result, final: false });
const last = (text: string, result: SysResult<unknown>, actor: Actor = 'jailed root'): Call => ({ actor, text, result, final: true });
const quoted = (path: string) => `"${path}"`;

/** chdir("..") until the working directory stops moving (at a root that `..` cannot leave). */
function* climb(sys: Syscalls): Generator<Call, void, void> {
  for (let i = 0; i < MAX_CLIMBS; i++) {
    const before = sys.getcwd();
    yield call('chdir("..")', sys.chdir('..'));
    const after = sys.getcwd();
    if (before.ok && after.ok && before.value === after.value) return;
  }
}

export const ESCAPES: Readonly<Record<EscapeId, EscapeProgram>> = {
  *dotdot(world, { jailed: sys }) {
    yield call('mkdir("/s")', sys.mkdir('/s'));
    // chroot moves the root but leaves the working directory where it was: outside the new root.
    yield call('chroot("/s")', sys.chroot('/s'));
    yield* climb(sys);
    yield call('chroot(".")', sys.chroot('.'));
    yield last(`read(${quoted(world.secretPath)})`, sys.readFile(world.secretPath));
  },
  *fchdir(world, { jailed: sys }) {
    const fd = sys.open('/', 'r');
    yield call('fd = open("/")', fd);
    yield call('mkdir("/s")', sys.mkdir('/s'));
    yield call('chroot("/s")', sys.chroot('/s'));
    // A careful chroot moves the working directory inside; the descriptor still points outside.
    yield call('chdir("/")', sys.chdir('/'));
    if (!fd.ok) return;
    yield call('fchdir(fd)', sys.fchdir(fd.value));
    yield* climb(sys);
    yield call('chroot(".")', sys.chroot('.'));
    yield last(`read(${quoted(world.secretPath)})`, sys.readFile(world.secretPath));
  },
  *mknod(_world, { jailed: sys }) {
    // Block device 8:0 is the raw disk holding the host's whole root file system.
    yield call('mknod("/tmp/disk", block, 8, 0)', sys.mknod('/tmp/disk', 'block', 8, 0));
    yield last('read("/tmp/disk")', sys.readFile('/tmp/disk'));
  },
  *symlink(world, actors) {
    const sys = actors.jailed;
    const link = '/var/run/httpd.pid';
    yield call(`symlink(${quoted(world.secretPath)}, ${quoted(link)})`, sys.symlink(world.secretPath, link));
    // Inside, an absolute link resolves against the process's own root: the jail's copy.
    yield call(`read(${quoted(link)})`, sys.readFile(link));
    // The host's rc script writes the daemon's pid file, following whatever is there.
    const hostPath = `${world.jailRoot}${link}`;
    yield last(`write(${quoted(hostPath)}, "4242")`, actors.host().writeFile(hostPath, '4242\n'), 'host rc script');
  },
};
