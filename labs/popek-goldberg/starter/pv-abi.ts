/**
 * Read-only for lab 4, part 3: the hypercall ABI your paravirtual kernel and your handlers
 * share. It is the reference kernel's own (`Hypercall`, `SharedFrame` in `@virtlab/sim`) plus
 * one batched page-table update, as Xen's `mmu_update` takes a list (Barham et al., 2003).
 */
import { Hypercall as KernelHypercall, SharedFrame as KernelSharedFrame } from '@virtlab/sim';

/** Hypercall numbers (`hcall n`, arguments in r2–r4); the kernel source defines each as `HC_<NAME>`. */
export const Hypercall = {
  ...KernelHypercall,
  /**
   * r2 = guest-physical address of `count` pairs of words [entry address, new value], r3 = count
   * (0–64). Checked whole first; then written in list order; then the TLB is flushed.
   */
  MMU_BATCH: 9,
} as const;

/** The shared trap frame: byte offsets of its five words, its size, and where the reference kernel keeps it. */
export const SharedFrame = { ...KernelSharedFrame, BYTES: 20 } as const;

/** The most updates one MMU_BATCH may carry. */
export const MMU_BATCH_LIMIT = 64;

/** What r2 holds after a refused hypercall (Xen returns −EINVAL); an accepted one leaves r2 alone. */
export const REFUSED = -1;

/** The line (normalized) where the kernel's source ends and the user program begins. */
export const USER_CODE_MARK = '.org USER_CODE';
