/**
 * The hypervisor API: virtual machines, exits, exit handlers, shadow page tables and
 * binary-translation hooks.
 * @module
 */
export { Hypervisor, VirtualMachine } from './hypervisor.ts';
export type { HypervisorOptions, VmOptions, HypervisorBudget, HypervisorOutcome, HypervisorRunResult } from './hypervisor.ts';
export { ExitContext, VcpuHandle, ShadowControl } from './exit-context.ts';
export type { ExitHandler, VmInfo } from './exit-context.ts';
export { ShadowTable } from './shadow.ts';
export type { ShadowEntry, ShadowPermissions } from './shadow.ts';
export { EXIT_KINDS } from './types.ts';
export type { ExitKind, CycleAccount, VmState, VmStats, TraceEvent } from './types.ts';
export { MAX_SHADOW_ENTRIES, MAX_SHADOW_TABLES } from './vm-core.ts';
export type { TranslationScanner, CodePage } from './vm-core.ts';
export type { MmuMode } from './vm-mmu.ts';
