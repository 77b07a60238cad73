/**
 * The virtual file system of the isolation kernel: inodes, file systems, mounts and path walking.
 *
 * Locations are (mount, inode) pairs, as in Linux's `struct path`: the same inode can be reached
 * through two mounts (mounting the raw disk again inside a jail shows the host's whole tree), and
 * `..` out of a mounted file system's root climbs to the directory it is mounted on. The walk
 * itself knows nothing about jails: it asks the caller-supplied {@link WalkRules} before every
 * `..` and every symbolic link, which is where the isolation policy's hooks plug in.
 */
import { fail } from './errno.ts';

/** What an inode is. */
export type NodeKind = 'dir' | 'file' | 'symlink' | 'device';

interface InodeCommon {
  readonly ino: number;
  readonly fs: Filesystem;
  /** Permission bits (0o777 range). */
  mode: number;
  uid: number;
  gid: number;
  /** The context (jail) whose process created this inode; 0 for the host. */
  readonly ctx: number;
  /** The directory holding this inode in its own file system (null for a file system's root). */
  parent: DirNode | null;
  /** This inode's name in `parent`. */
  name: string;
}

/** A directory. */
export interface DirNode extends InodeCommon {
  readonly kind: 'dir';
  readonly entries: Map<string, Inode>;
}
/** A regular file; its content is text. */
export interface FileNode extends InodeCommon {
  readonly kind: 'file';
  content: string;
}
/** A symbolic link. */
export interface LinkNode extends InodeCommon {
  readonly kind: 'symlink';
  readonly target: string;
}
/** A device special file. */
export interface DeviceNode extends InodeCommon {
  readonly kind: 'device';
  readonly deviceType: 'char' | 'block';
  readonly major: number;
  readonly minor: number;
}
export type Inode = DirNode | FileNode | LinkNode | DeviceNode;

/** A file system instance: the host's root file system (backed by the raw disk) or a tmpfs. */
export interface Filesystem {
  readonly id: number;
  readonly type: 'rootfs' | 'tmpfs';
  /** Name of the block device holding it, or null for memory-backed file systems. */
  readonly device: string | null;
  root: DirNode;
}

/** One mount: a file system attached at a location of its parent mount. */
export interface Mount {
  readonly id: number;
  readonly fs: Filesystem;
  readonly parent: Mount | null;
  readonly mountpoint: Location | null;
}

/** A place in the directory tree as seen through mounts. */
export interface Location {
  readonly mount: Mount;
  readonly node: Inode;
}

/** A directory location (the walk only stands on directories). */
export interface DirLocation extends Location {
  readonly node: DirNode;
}

/** The decisions a path walk asks for; the kernel fills these from permissions and the policy. */
export interface WalkRules {
  /** The walker's root: absolute paths and absolute symlink targets start here; `..` stops here. */
  readonly root: Location;
  /** Where relative paths start. */
  readonly start: Location;
  /** Whether the walker may search (pass through) this directory; false gives EACCES. */
  canSearch(dir: DirLocation): boolean;
  /** Whether `..` may leave this directory (asked only when it is not the walker's root). */
  allowDotDot(dir: DirLocation): boolean;
  /** Whether this symbolic link may be followed; false gives EACCES. */
  allowFollow(link: Location & { readonly node: LinkNode }): boolean;
  /** Called once per path component walked, for the cost model. */
  onStep(): void;
}

/** The most symbolic links one lookup follows before ELOOP (Linux's limit). */
export const MAX_SYMLINK_FOLLOWS = 40;

export function sameLocation(a: Location, b: Location): boolean {
  return a.mount === b.mount && a.node === b.node;
}

export function isDirLocation(loc: Location): loc is DirLocation {
  return loc.node.kind === 'dir';
}

/** The inode table, file systems and mount table of one kernel. */
export class Vfs {
  #nextIno = 1;
  #nextFs = 1;
  #nextMount = 1;
  readonly #mounts: Mount[] = [];
  readonly rootFs: Filesystem;
  readonly rootMount: Mount;

  constructor(rootDevice: string) {
    this.rootFs = this.createFilesystem('rootfs', rootDevice);
    this.rootMount = { id: this.#nextMount++, fs: this.rootFs, parent: null, mountpoint: null };
    this.#mounts.push(this.rootMount);
  }

  get rootLocation(): DirLocation {
    return { mount: this.rootMount, node: this.rootFs.root };
  }

  createFilesystem(type: Filesystem['type'], device: string | null): Filesystem {
    const fs: Filesystem = { id: this.#nextFs++, type, device, root: undefined as unknown as DirNode };
    fs.root = {
      kind: 'dir', ino: this.#nextIno++, fs, mode: 0o755, uid: 0, gid: 0, ctx: 0,
      parent: null, name: '', entries: new Map(),
    };
    return fs;
  }

  /** All mounts, oldest first. */
  get mounts(): readonly Mount[] {
    return this.#mounts;
  }

  mount(fs: Filesystem, at: DirLocation): Mount {
    const mount: Mount = { id: this.#nextMount++, fs, parent: at.mount, mountpoint: at };
    this.#mounts.push(mount);
    return mount;
  }

  /** Creates an inode in `dir`; the caller has checked that `name` is free and valid. */
  createDir(dir: DirNode, name: string, owner: Owner): DirNode {
    const node: DirNode = { kind: 'dir', ...this.#common(dir, name, owner), entries: new Map() };
    dir.entries.set(name, node);
    return node;
  }

  createFile(dir: DirNode, name: string, owner: Owner, content = ''): FileNode {
    const node: FileNode = { kind: 'file', ...this.#common(dir, name, owner), content };
    dir.entries.set(name, node);
    return node;
  }

  createSymlink(dir: DirNode, name: string, owner: Owner, target: string): LinkNode {
    const node: LinkNode = { kind: 'symlink', ...this.#common(dir, name, { ...owner, mode: 0o777 }), target };
    dir.entries.set(name, node);
    return node;
  }

  createDevice(
    dir: DirNode, name: string, owner: Owner, deviceType: 'char' | 'block', major: number, minor: number,
  ): DeviceNode {
    const node: DeviceNode = { kind: 'device', ...this.#common(dir, name, owner), deviceType, major, minor };
    dir.entries.set(name, node);
    return node;
  }

  #common(dir: DirNode, name: string, owner: Owner) {
    return {
      ino: this.#nextIno++, fs: dir.fs, mode: owner.mode & 0o7777, uid: owner.uid, gid: owner.gid,
      ctx: owner.ctx, parent: dir, name,
    };
  }

  /** Steps into `loc`, following any mounts stacked on it (the newest mount wins). */
  crossMounts(loc: Location): Location {
    let current = loc;
    for (;;) {
      let covering: Mount | undefined;
      for (const m of this.#mounts) {
        if (m.mountpoint !== null && m.parent === current.mount && m.mountpoint.node === current.node) covering = m;
      }
      if (covering === undefined) return current;
      current = { mount: covering, node: covering.fs.root };
    }
  }

  /** The location `..` leads to, ignoring roots and policies (the real tree's parent). */
  parentOf(loc: Location): Location {
    let current = loc;
    // Climb out of mounted file systems whose root we stand on.
    while (current.node === current.mount.fs.root && current.mount.mountpoint !== null) {
      current = current.mount.mountpoint;
    }
    const parent = current.node.parent;
    if (parent === null) return current; // the global root: '..' stays
    return this.crossMounts({ mount: current.mount, node: parent });
  }

  /** Whether `loc` lies in the subtree at `ancestor` (inclusive), following real parents through mounts. */
  isWithin(loc: Location, ancestor: Location): boolean {
    let current = loc;
    for (let guard = 0; guard < 10_000; guard++) {
      if (sameLocation(current, ancestor)) return true;
      const up = this.parentOf(current);
      if (sameLocation(up, current)) return false;
      current = up;
    }
    return false;
  }

  /** The path of `loc` from the global root, through mounts (what the host would type to reach it). */
  pathOf(loc: Location): string {
    const names: string[] = [];
    let current = loc;
    for (let guard = 0; guard < 10_000; guard++) {
      while (current.node === current.mount.fs.root && current.mount.mountpoint !== null) {
        current = current.mount.mountpoint;
      }
      const parent = current.node.parent;
      if (parent === null) break;
      names.push(current.node.name);
      current = { mount: current.mount, node: parent };
    }
    return '/' + names.reverse().join('/');
  }

  /**
   * The canonical host path of an inode: its path inside its own file system, prefixed by where
   * that file system was first mounted. The same file reached through a second mount has one
   * canonical path, which is what graders compare against a jail's root.
   */
  canonicalPath(node: Inode): string {
    const names: string[] = [];
    let current: Inode = node;
    while (current.parent !== null) {
      names.push(current.name);
      current = current.parent;
    }
    const inner = names.reverse().join('/');
    const home = this.#mounts.find((m) => m.fs === node.fs);
    if (home === undefined) return `<unmounted fs ${node.fs.id}>/${inner}`;
    const prefix = home.mountpoint === null ? '' : this.canonicalPath(home.mountpoint.node);
    if (inner === '') return prefix === '' ? '/' : prefix;
    return `${prefix}/${inner}`;
  }

  /**
   * Resolves `path` to a location. `followFinal` says whether a symbolic link in the last
   * component is followed (open, stat, chdir) or returned itself (lstat, readlink, unlink).
   * Fails with ENOENT, ENOTDIR, EACCES or ELOOP.
   */
  resolve(path: string, rules: WalkRules, followFinal: boolean): Location {
    if (path === '') fail('ENOENT');
    const budget = { follows: 0 };
    return this.#walk(path.startsWith('/') ? rules.root : rules.start, splitPath(path), rules, followFinal, budget);
  }

  /**
   * Resolves all but the last component of `path`: the directory a new entry would go into and
   * the entry's name. Fails with EEXIST-free errors only; the caller checks the name.
   */
  resolveParent(path: string, rules: WalkRules): { dir: DirLocation; name: string } {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined || name === '..') fail(path.replace(/\/+$/, '') === '' ? 'EEXIST' : 'EINVAL');
    const budget = { follows: 0 };
    const dir = this.#walk(path.startsWith('/') ? rules.root : rules.start, parts, rules, true, budget);
    if (!isDirLocation(dir)) fail('ENOTDIR');
    return { dir, name };
  }

  #walk(
    from: Location, parts: readonly string[], rules: WalkRules, followFinal: boolean, budget: { follows: number },
  ): Location {
    let current = from;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      if (!isDirLocation(current)) fail('ENOTDIR');
      if (!rules.canSearch(current)) fail('EACCES');
      rules.onStep();
      if (name === '..') {
        if (!sameLocation(current, rules.root) && rules.allowDotDot(current)) current = this.parentOf(current);
        continue;
      }
      const child = current.node.entries.get(name);
      if (child === undefined) fail('ENOENT');
      const childLoc = this.crossMounts({ mount: current.mount, node: child });
      const last = i === parts.length - 1;
      if (childLoc.node.kind === 'symlink' && (!last || followFinal)) {
        const link = childLoc as Location & { node: LinkNode };
        if (++budget.follows > MAX_SYMLINK_FOLLOWS) fail('ELOOP');
        if (!rules.allowFollow(link)) fail('EACCES');
        const target = link.node.target;
        // A relative target is read from the directory holding the link.
        current = this.#walk(target.startsWith('/') ? rules.root : current, splitPath(target), rules, true, budget);
        continue;
      }
      current = childLoc;
    }
    return current;
  }
}

/** Who a new inode belongs to. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly ctx: number;
}

/** Splits a path into components, dropping empty ones and `.`. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}
