// Hand-made guests of lab 4, part 3 (public): each records what its hypercalls answered in
// words from 0x2000 on, so a test can compare them with what the ABI promises.
import { Hypercall } from '../starter/pv-abi.ts';

/** Where each guest records its results (one word per hypercall checked). */
export const RESULTS = 0x2000;

/** The .equ lines every hand-made guest starts with. */
export const ABI = Object.entries(Hypercall)
  .map(([name, n]) => `.equ HC_${name}, ${n}`)
  .join('\n');

/** An MMU_UPDATE inside the VM is applied; one whose entry, or the frame it maps, lies outside is refused. */
export const UPDATE_INSIDE_AND_OUT = `${ABI}
    li sp, 0x8000
    li r2, 0x4000             ; a page-table entry inside the VM
    li r3, 0x5000 | PTE_PRESENT | PTE_WRITABLE
    li r4, 0
    hcall HC_MMU_UPDATE
    st r2, [zero+${RESULTS}]      ; accepted: r2 as it was
    li r2, 0x40000            ; the first word past the VM's 256 KiB
    hcall HC_MMU_UPDATE
    st r2, [zero+${RESULTS + 4}]  ; refused
    li r2, 0x4004
    li r3, 0x40000 | PTE_PRESENT  ; maps a frame outside the VM
    hcall HC_MMU_UPDATE
    st r2, [zero+${RESULTS + 8}]  ; refused
    hcall HC_HALT`;
