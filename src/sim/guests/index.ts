/**
 * Reference guest programs: the reference kernel (native and paravirtual flavours) and small
 * workloads for benchmarks and calibration, all as assembly sources.
 * @module
 */
export { referenceKernel, Hypercall, Syscall, SharedFrame, CALIBRATION_KERNEL } from './kernel.ts';
export type { KernelOptions } from './kernel.ts';
export { computeLoop, syscallLoop } from './workloads.ts';
