// Hidden hand-made guests of lab 4, part 3. Each records what its hypercalls answered in words
// from RESULTS on; the tests compare them, and the memory they touched, with what the ABI promises.
import { ABI, RESULTS } from './pv-guests.ts';

const r = (i: number): string => `[zero+${RESULTS + 4 * i}]`;

/** Console writes and entries at the very end of the VM, misaligned, and non-present entries that name any frame. */
export const UPDATE_LIMITS = `${ABI}
    li sp, 0x8000
    li r2, 0x4002             ; misaligned: refused
    li r3, 0x6003
    hcall HC_MMU_UPDATE
    st r2, ${r(1)}
    li r2, 0x4008
    li r3, 0x40000 | PTE_WRITABLE  ; not present: the frame is never used, accepted
    hcall HC_MMU_UPDATE
    st r2, ${r(2)}
    li r2, 0x400c
    li r3, 0x3ffff000 | PTE_PRESENT ; far outside: refused
    hcall HC_MMU_UPDATE
    st r2, ${r(3)}
    li r2, -4                 ; a negative address: refused
    li r3, 0x5003
    hcall HC_MMU_UPDATE
    st r2, ${r(4)}
    li r2, 0x3fff0            ; console bytes ending exactly at the end: accepted
    li r3, 16
    hcall HC_CONSOLE_WRITE
    st r2, ${r(5)}
    li r2, 0x3fff1            ; one byte past the end: refused, nothing printed
    li r3, 16
    hcall HC_CONSOLE_WRITE
    st r2, ${r(6)}
    li r2, 0x3000             ; an empty write: accepted
    li r3, 0
    hcall HC_CONSOLE_WRITE
    st r2, ${r(7)}
    li r2, 0x3000
    li r3, -1                 ; a negative length: refused
    hcall HC_CONSOLE_WRITE
    st r2, ${r(8)}
    li r2, 0x3fffc            ; the VM's last word: accepted (after the console writes that read it)
    li r3, 0x3f000 | PTE_PRESENT | PTE_WRITABLE ; its last frame: accepted
    li r4, 0
    hcall HC_MMU_UPDATE
    st r2, ${r(0)}
    li r2, trap
    li r3, 0x3fff0            ; a shared frame that would end past the VM: refused
    hcall HC_SETUP
    st r2, ${r(9)}
    li r2, trap
    li r3, 0x3ffec            ; the last 20 bytes: accepted
    hcall HC_SETUP
    st r2, ${r(10)}
    li r2, trap
    li r3, 0x3000 + 2         ; a misaligned shared frame: refused
    hcall HC_SETUP
    st r2, ${r(11)}
    li r2, 0                  ; an entry at address 0 is inside the VM: accepted
    li r3, 0
    li r4, 0
    hcall HC_MMU_UPDATE
    st r2, ${r(12)}
    li r2, 100                ; accepted hypercalls leave r2 as it was
    hcall HC_SET_TIMER
    st r2, ${r(13)}
    li r2, 0x55
    hcall HC_IDLE             ; the timer wakes it at the trap vector
    hcall HC_HALT
.org 0x1000
trap:
    st r2, ${r(14)}
    li r2, 0x1234
    hcall HC_HALT             ; final r2 and status are checked too
.org 0x3fff0
    .ascii "end of memory!\\n\\n"
`;

/** What UPDATE_LIMITS must leave: [what, address, expected word]. */
export const UPDATE_LIMITS_EXPECTED: ReadonlyArray<readonly [string, number, number]> = [
  ['r2 after updating the last word of the VM', RESULTS, 0x3fffc],
  ['r2 after a misaligned update', RESULTS + 4, -1],
  ['r2 after a non-present entry naming a frame past the VM', RESULTS + 8, 0x4008],
  ['r2 after an entry mapping a frame far outside', RESULTS + 12, -1],
  ['r2 after an update at a negative address', RESULTS + 16, -1],
  ['r2 after console bytes ending at the VM\'s end', RESULTS + 20, 0x3fff0],
  ['r2 after console bytes one past the end', RESULTS + 24, -1],
  ['r2 after an empty console write', RESULTS + 28, 0x3000],
  ['r2 after a negative console length', RESULTS + 32, -1],
  ['r2 after a shared frame ending past the VM', RESULTS + 36, -1],
  ['r2 after a shared frame in the last 20 bytes (the trap vector, 0x1000)', RESULTS + 40, 0x1000],
  ['r2 after a misaligned shared frame', RESULTS + 44, -1],
  ['r2 after an update of the entry at address 0', RESULTS + 48, 0],
  ['r2 after SET_TIMER', RESULTS + 52, 100],
  ['r2 after IDLE, at the timer interrupt', RESULTS + 56, 0x55],
  ['the last word of the VM', 0x3fffc, 0x3f003],
  ['the entry at 0x4000 (misaligned update refused)', 0x4000, 0],
  ['the entry at 0x4008', 0x4008, 0x40002],
  ['the entry at 0x400c', 0x400c, 0],
];

/**
 * Batched updates with paging on: two updates of one entry (the later must win), a flush so the
 * new mapping is seen, a batch with one bad entry (nothing applied), empty and oversized batches,
 * and a list that ends exactly at the VM's end or one pair past it.
 */
export const BATCHES = `${ABI}
.equ PD, 0x4000
.equ PT, 0x5000
.equ VA, 0x20000              ; mapped through entry 32 of PT
    li sp, 0x8000
    li r1, PT | PTE_PRESENT | PTE_WRITABLE
    st r1, [zero+PD]
    li r1, 0                  ; identity-map 0x0-0xffff for the kernel
    li r2, PT
    li r3, 16
map:
    shli r4, r1, 12
    ori r4, r4, PTE_PRESENT | PTE_WRITABLE
    st r4, [r2+0]
    addi r2, r2, 4
    addi r1, r1, 1
    bne r1, r3, map
    li r4, 0x10000 | PTE_PRESENT | PTE_WRITABLE
    st r4, [zero+PT+128]
    li r2, PD
    hcall HC_SET_PTBR
    st r2, ${r(11)}           ; accepted: r2 as it was
    li r7, VA
    ld r5, [r7+0]             ; 0x11111111, now in the TLB
    li r2, PT + 128           ; one update of the cached entry, then read at once
    li r3, 0x12000 | PTE_PRESENT | PTE_WRITABLE
    mov r4, r7
    hcall HC_MMU_UPDATE
    ld r6, [r7+0]             ; 0x33333333: the update invalidated the entry
    st r6, ${r(12)}
    li r2, PT + 128
    li r3, 0x10000 | PTE_PRESENT | PTE_WRITABLE
    hcall HC_MMU_UPDATE
    ld r5, [r7+0]
    st r5, ${r(0)}
    li r2, list_in_order
    li r3, 2
    hcall HC_MMU_BATCH
    st r2, ${r(1)}
    ld r5, [r7+0]             ; the later update's frame, 0x11000: 0x22222222
    st r5, ${r(2)}
    li r2, list_one_bad
    li r3, 2
    hcall HC_MMU_BATCH
    st r2, ${r(3)}
    ld r5, [r7+0]             ; unchanged: 0x22222222
    st r5, ${r(4)}
    li r2, list_in_order
    li r3, 0                  ; empty: accepted
    hcall HC_MMU_BATCH
    st r2, ${r(5)}
    li r2, 0x7000             ; 65 valid pairs (zeros: non-present entries at address 0): refused
    li r3, 65
    hcall HC_MMU_BATCH
    st r2, ${r(6)}
    li r2, 0x7000             ; 64 of them: accepted
    li r3, 64
    hcall HC_MMU_BATCH
    st r2, ${r(13)}
    li r2, list_in_order
    li r3, -1
    hcall HC_MMU_BATCH
    st r2, ${r(7)}
    li r2, 0x3fff8            ; one pair ending exactly at the VM's end: accepted
    li r3, 1
    hcall HC_MMU_BATCH
    st r2, ${r(8)}
    li r2, 0x3fff8            ; two pairs: the second is past the end, refused
    li r3, 2
    hcall HC_MMU_BATCH
    st r2, ${r(9)}
    li r2, list_misaligned + 2
    li r3, 1
    hcall HC_MMU_BATCH
    st r2, ${r(10)}
    hcall HC_HALT
.org 0x6000
list_in_order:
    .word PT + 128, 0x12000 | PTE_PRESENT | PTE_WRITABLE
    .word PT + 128, 0x11000 | PTE_PRESENT | PTE_WRITABLE
.org 0x6010
list_one_bad:
    .word PT + 132, 0x13000 | PTE_PRESENT | PTE_WRITABLE
    .word PT + 128, 0x40000 | PTE_PRESENT | PTE_WRITABLE
.org 0x6020
list_misaligned:
    .word PT + 136, 0x13000 | PTE_PRESENT, 0
.org 0x10000
    .word 0x11111111
.org 0x11000
    .word 0x22222222
.org 0x12000
    .word 0x33333333
.org 0x3fff8
    .word PT + 140, 0x14000 | PTE_PRESENT
`;

/** What BATCHES must leave. */
export const BATCHES_EXPECTED: ReadonlyArray<readonly [string, number, number]> = [
  ['r2 after SET_PTBR', RESULTS + 44, 0x4000],
  ['the word at 0x20000 right after an MMU_UPDATE mapping frame 0x12000', RESULTS + 48, 0x33333333],
  ['r2 after a batch of exactly 64 updates', RESULTS + 52, 0x7000],
  ['the word at 0x20000 before any batch', RESULTS, 0x11111111],
  ['r2 after a batch of two updates of one entry', RESULTS + 4, 0x6000],
  ['the word at 0x20000 after it (the later update maps frame 0x11000)', RESULTS + 8, 0x22222222],
  ['r2 after a batch with one entry outside the VM', RESULTS + 12, -1],
  ['the word at 0x20000 after the refused batch', RESULTS + 16, 0x22222222],
  ['r2 after an empty batch', RESULTS + 20, 0x6000],
  ['r2 after a batch of 65 updates', RESULTS + 24, -1],
  ['r2 after a batch of −1 updates', RESULTS + 28, -1],
  ['r2 after a batch ending exactly at the VM\'s end', RESULTS + 32, 0x3fff8],
  ['r2 after a batch running past the VM\'s end', RESULTS + 36, -1],
  ['r2 after a batch at a misaligned address', RESULTS + 40, -1],
  ['the entry the refused batch would have written first (0x5084)', 0x5084, 0],
  ['the entry written by the batch at the VM\'s end (0x508c)', 0x508c, 0x14001],
  ['the entry a misaligned batch would have written (0x5088)', 0x5088, 0],
];

/** An unknown hypercall traps ILLEGAL into the guest, as hcall does on bare hardware. */
export const UNKNOWN_HYPERCALL = `${ABI}
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r2, 77
bad_call:
    hcall 99
    hcall HC_HALT
trap:
    mfcr r3, cause
    st r3, ${r(0)}
    mfcr r3, tval
    st r3, ${r(1)}
    mfcr r3, epc
    st r3, ${r(2)}
    st r2, ${r(3)}            ; r2 as it was: a trap, not a refusal
    hcall HC_HALT
`;

/** What UNKNOWN_HYPERCALL must leave, given where its `hcall 99` was assembled. */
export function unknownHypercallExpected(badCallAt: number): ReadonlyArray<readonly [string, number, number]> {
  return [
    ['the cause the guest saw (ILLEGAL)', RESULTS, 3],
    ['the trap value (the hcall 99 word)', RESULTS + 4, (0x52 << 24) | 99],
    ['epc (the hcall itself)', RESULTS + 8, badCallAt],
    ['r2 at the trap', RESULTS + 12, 77],
  ];
}

/**
 * A guest whose shared frame is at 0x7000: it registers it, works long enough for another VM to
 * register its own, then returns through HC_IRET to a place it wrote in its frame, and takes a
 * direct system call that must report through the same frame.
 */
export const FRAME_ELSEWHERE = `${ABI}
.equ FRAME, 0x7000
    ld r1, ${r(3)}            ; count the starts: a return to address 0 would start again
    addi r1, r1, 1
    st r1, ${r(3)}
    li sp, 0x8000
    li r2, trap
    li r3, FRAME
    hcall HC_SETUP
    li r1, 30000              ; more than a time slice: the other VM runs meanwhile
spin:
    addi r1, r1, -1
    bne r1, zero, spin
    li r1, after_iret
    st r1, [zero+FRAME+8]
    li r1, STATUS_SUPERVISOR
    st r1, [zero+FRAME+12]
    hcall HC_IRET
    li r1, 0xbad
    st r1, ${r(0)}
    hcall HC_HALT
after_iret:
    li r1, 0x600d
    st r1, ${r(0)}
    syscall 42
    hcall HC_HALT
trap:
    ld r1, [zero+FRAME+0]
    st r1, ${r(1)}
    ld r1, [zero+FRAME+4]
    st r1, ${r(2)}
    hcall HC_HALT
`;

/** What FRAME_ELSEWHERE must leave. */
export const FRAME_ELSEWHERE_EXPECTED: ReadonlyArray<readonly [string, number, number]> = [
  ['where HC_IRET returned (0x600d: to the pc in the frame at 0x7000)', RESULTS, 0x600d],
  ['the cause in the frame at 0x7000 after syscall 42', RESULTS + 4, 1],
  ['the value in the frame at 0x7000 after syscall 42', RESULTS + 8, 42],
  ['how many times the guest started', RESULTS + 12, 1],
];

/**
 * A timer tick that comes due while the kernel runs with interrupts off must be delivered by the
 * HC_IRET that turns them on (the line is already raised: no new interrupt exit will come).
 */
export const PENDING_AT_IRET = `${ABI}
.equ FRAME, 0x3010
    li sp, 0x8000
    li r2, trap
    li r3, FRAME
    hcall HC_SETUP
    li r2, 40
    hcall HC_SET_TIMER
    li r1, 100                ; interrupts off: the tick comes due here
spin:
    addi r1, r1, -1
    bne r1, zero, spin
    li r1, back
    st r1, [zero+FRAME+8]
    li r1, STATUS_SUPERVISOR | STATUS_IE
    st r1, [zero+FRAME+12]
    hcall HC_IRET
back:
    li r1, 0xbad              ; reached only if the tick was not delivered at the HC_IRET
    st r1, ${r(0)}
    hcall HC_HALT
trap:
    ld r1, [zero+FRAME+0]
    st r1, ${r(0)}
    ld r1, [zero+FRAME+8]
    st r1, ${r(1)}
    hcall HC_HALT
`;

/** HC_IRET before any HC_SETUP: there is no shared frame to return through, so it is refused and the guest goes on. */
export const IRET_BEFORE_SETUP = `${ABI}
    li sp, 0x8000
    li r2, 0x1234
    hcall HC_IRET             ; no frame registered yet
    st r2, ${r(0)}            ; refused: -1
    li r2, trap
    li r3, 0x3010
    hcall HC_SETUP
    st r2, ${r(1)}            ; accepted: r2 as it was
    li r2, 0x1234
    li r1, 0x2008             ; now a frame exists: IRET returns through it
    li r3, after
    st r3, [zero+0x3018]
    li r3, STATUS_SUPERVISOR
    st r3, [zero+0x301c]
    hcall HC_IRET
    li r1, 0xbad              ; skipped: the IRET returns to after
after:
    st r1, ${r(2)}
    hcall HC_HALT
trap:
    hcall HC_HALT
`;

/** What IRET_BEFORE_SETUP must leave, given where `trap` was assembled. */
export function iretBeforeSetupExpected(trap: number): ReadonlyArray<readonly [string, number, number]> {
  return [
    ['r2 after an HC_IRET before any HC_SETUP', RESULTS, -1],
    ['r2 after the HC_SETUP that follows it', RESULTS + 4, trap],
    ['r1 where HC_IRET returned to (0xbad if the instruction after the hcall ran)', RESULTS + 8, 0x2008],
  ];
}

/** What PENDING_AT_IRET must leave, given where `back` was assembled. */
export function pendingAtIretExpected(back: number): ReadonlyArray<readonly [string, number, number]> {
  return [
    ['the cause the trap handler saw (the timer interrupt, 16)', RESULTS, 16],
    ['the epc it saw (the HC_IRET\'s target, before any instruction there ran)', RESULTS + 4, back],
  ];
}
