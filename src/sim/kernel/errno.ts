/**
 * Errno-style results of simulated system calls.
 *
 * A system call never throws at the program that made it: it returns a {@link SysResult}, either
 * `{ ok: true, value }` or `{ ok: false, errno }`, the way a Unix system call returns -1 and sets
 * `errno`. Only misuse of the simulator's API itself (a wrong argument type, an unknown pid in a
 * privileged call) throws a `SimError`.
 */

/** The errno values the simulated kernel returns, with their Unix meaning. */
export const ERRNO_MEANINGS = Object.freeze({
  EPERM: 'operation not permitted (needs privilege, or the isolation policy refused it)',
  ENOENT: 'no such file or directory',
  ESRCH: 'no such process (or not visible to the caller)',
  EBADF: 'bad file descriptor',
  EACCES: 'permission denied by file permissions or by the isolation policy',
  EEXIST: 'file exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EINVAL: 'invalid argument',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many levels of symbolic links',
  EAGAIN: 'resource temporarily unavailable (process limit reached)',
  ENOMEM: 'cannot allocate memory (memory limit reached)',
  EDQUOT: 'disk quota exceeded',
  ENOSPC: 'no space left on device',
  ENXIO: 'no such device',
  ENOTBLK: 'block device required',
  ENODEV: 'operation not supported by device',
  EBUSY: 'device or resource busy',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address (not an address of this host or context)',
  ECONNREFUSED: 'connection refused (nothing listening there)',
  ENOTSOCK: 'not a socket',
  EISCONN: 'socket is already connected',
  ENOTCONN: 'socket is not connected',
  EOPNOTSUPP: 'operation not supported on this socket',
  ENETUNREACH: 'network unreachable',
  ECHILD: 'no child processes',
  EDEADLK: 'resource deadlock avoided (a process cannot trace itself)',
} as const);

/** The name of an errno value, e.g. `'EPERM'`. */
export type Errno = keyof typeof ERRNO_MEANINGS;

/** The outcome of a simulated system call. */
export type SysResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errno: Errno };

/** A successful result. */
export function sysOk<T>(value: T): SysResult<T> {
  return Object.freeze({ ok: true as const, value });
}

/** A failed result carrying `errno`. */
export function sysFail<T = never>(errno: Errno): SysResult<T> {
  return Object.freeze({ ok: false as const, errno });
}

/** Internal: thrown inside the kernel to abort a system call with an errno; never escapes a syscall. */
export class SyscallFailure {
  readonly errno: Errno;
  constructor(errno: Errno) {
    this.errno = errno;
  }
}

/** Internal shorthand: abort the current system call with `errno`. */
export function fail(errno: Errno): never {
  throw new SyscallFailure(errno);
}
