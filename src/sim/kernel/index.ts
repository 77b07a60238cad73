/**
 * The isolation kernel: one Unix-like kernel, many contexts (jails, zones, containers), and the
 * hooks through which an isolation policy turns a context into a jail. See README.md here.
 * @packageDocumentation
 */
export { IsolationKernel, KernelProcessHandle } from './kernel.ts';
export type {
  IsolationKernelOptions, KernelOwnership, KernelProcessDetail, KernelRunOptions, KernelRunOutcome, KernelSpawnOptions,
} from './kernel.ts';
export { Syscalls, type KernelProgram } from './syscalls.ts';
export type { OpenFlags, MountFsType } from './internal.ts';
export { ERRNO_MEANINGS, sysOk, sysFail, type Errno, type SysResult } from './errno.ts';
export { NAIVE_POLICY } from './policy.ts';
export type {
  BindQuery, ConnectQuery, DiskQuery, DotDotQuery, FileAccessQuery, FileOp, ForkQuery, IsolationPolicy, KernelQueries,
  KernelSignal, MemoryQuery, PolicyQueryBase, PrivilegedAction, PrivilegedQuery, ProcessAccessQuery, SignalQuery,
  SymlinkQuery,
} from './policy.ts';
export type {
  KernelContextInfo, KernelContextLimits, KernelContextUsage, KernelProcessInfo, KernelProcessState, KernelSocketInfo,
  KernelStat, VfsNodeInfo,
} from './info.ts';
export type { NodeKind } from './vfs.ts';
export { KERNEL_DEVICES, type KernelDeviceKind, type KernelDeviceSpec } from './devices.ts';
export { WILDCARD_ADDRESS, type KernelInterfaceSpec } from './net.ts';
export { DEFAULT_KERNEL_COSTS, type KernelCostModel } from './cost.ts';
export type {
  BindAuditEvent, ChrootAuditEvent, ConnectAuditEvent, DeviceAuditEvent, FileAuditEvent, IsolationBreach, KernelAuditEvent,
  MountAuditEvent, PolicyErrorAuditEvent, ProcessAuditEvent, SignalAuditEvent, TraceAuditEvent,
} from './audit.ts';
export {
  REFERENCE_SITE_PAGES, installReferenceSite, referenceWebWorkload, type ReferenceWebWorkloadOptions,
} from './workloads.ts';
