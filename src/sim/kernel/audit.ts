/**
 * The kernel's audit log: what really happened, recorded by the kernel as it happened.
 *
 * Graders read it through the privileged kernel handle to see, for instance, which files a
 * jailed process actually read, whatever the program or the policy claim.
 */

interface AuditBase {
  /** Order of the event in this kernel's life. */
  readonly seq: number;
  /** The acting process, its context and uid at the time. */
  readonly pid: number;
  readonly context: number;
  readonly uid: number;
}

/** A file-system object was opened, read, written, created, removed or changed. */
export interface FileAuditEvent extends AuditBase {
  readonly kind: 'file';
  readonly op: 'open' | 'read' | 'write' | 'create' | 'unlink' | 'chmod' | 'chown' | 'chdir' | 'readdir';
  readonly ino: number;
  /** The inode's canonical host path (the same whichever mount it was reached through). */
  readonly hostPath: string;
  readonly nodeKind: 'dir' | 'file' | 'symlink' | 'device';
}

/** A device was read, written or created. */
export interface DeviceAuditEvent extends AuditBase {
  readonly kind: 'device';
  readonly op: 'read' | 'write' | 'mknod';
  /** The device reached, or null for numbers no device has. */
  readonly device: string | null;
  /** Whether the device gives raw access (disk, memory). */
  readonly raw: boolean;
  readonly hostPath: string;
}

export interface MountAuditEvent extends AuditBase {
  readonly kind: 'mount';
  readonly fstype: string;
  readonly source: string | null;
  readonly hostPath: string;
}

export interface ChrootAuditEvent extends AuditBase {
  readonly kind: 'chroot';
  readonly hostPath: string;
}

/** A signal was delivered (or probed, for signal 0). */
export interface SignalAuditEvent extends AuditBase {
  readonly kind: 'signal';
  readonly target: number;
  readonly targetContext: number;
  readonly signal: string;
}

/** A process attached to another with ptrace and ran code as it. */
export interface TraceAuditEvent extends AuditBase {
  readonly kind: 'trace';
  readonly target: number;
  readonly targetContext: number;
}

export interface BindAuditEvent extends AuditBase {
  readonly kind: 'bind';
  readonly requestedAddress: string;
  /** The address the socket is really bound to. */
  readonly address: string;
  readonly port: number;
}

export interface ConnectAuditEvent extends AuditBase {
  readonly kind: 'connect';
  readonly address: string;
  readonly port: number;
}

export interface ProcessAuditEvent extends AuditBase {
  readonly kind: 'fork' | 'exit' | 'setuid' | 'attach';
  /** fork: the child's pid; exit: the exit code; setuid: the new uid; attach: the context entered. */
  readonly value: number;
}

/** A policy hook threw or returned a non-decision; the kernel refused the call. */
export interface PolicyErrorAuditEvent extends AuditBase {
  readonly kind: 'policy-error';
  readonly hook: string;
  readonly message: string;
}

export type KernelAuditEvent =
  | FileAuditEvent | DeviceAuditEvent | MountAuditEvent | ChrootAuditEvent | SignalAuditEvent
  | TraceAuditEvent | BindAuditEvent | ConnectAuditEvent | ProcessAuditEvent | PolicyErrorAuditEvent;

/** One way a context reached beyond its bounds, derived from the audit log. */
export interface IsolationBreach {
  readonly event: KernelAuditEvent;
  readonly reason: string;
}
