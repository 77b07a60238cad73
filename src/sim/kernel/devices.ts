/**
 * The device numbers the kernel knows, as in a BSD `/dev`: a device node (made with mknod) is
 * only a name for a (type, major, minor) triple; opening it reaches whatever device has those
 * numbers, wherever the node lives. That is why mknod inside a jail is an escape.
 */

/** What a device does when read or written. */
export type KernelDeviceKind = 'disk' | 'mem' | 'null' | 'zero' | 'console';

export interface KernelDeviceSpec {
  readonly name: string;
  readonly type: 'char' | 'block';
  readonly major: number;
  readonly minor: number;
  readonly kind: KernelDeviceKind;
  /** Whether reading or writing it gives access beyond any directory tree (raw disk, physical memory). */
  readonly raw: boolean;
}

/** The devices of every simulated kernel. `disk0` holds the host's root file system. */
export const KERNEL_DEVICES: readonly KernelDeviceSpec[] = Object.freeze([
  Object.freeze({ name: 'disk0', type: 'block', major: 8, minor: 0, kind: 'disk', raw: true }),
  Object.freeze({ name: 'mem', type: 'char', major: 1, minor: 1, kind: 'mem', raw: true }),
  Object.freeze({ name: 'null', type: 'char', major: 1, minor: 3, kind: 'null', raw: false }),
  Object.freeze({ name: 'zero', type: 'char', major: 1, minor: 5, kind: 'zero', raw: false }),
  Object.freeze({ name: 'console', type: 'char', major: 5, minor: 1, kind: 'console', raw: false }),
] as const);

export function findDevice(type: 'char' | 'block', major: number, minor: number): KernelDeviceSpec | undefined {
  return KERNEL_DEVICES.find((d) => d.type === type && d.major === major && d.minor === minor);
}
