// Guest kernels of the hidden tests (private, like every tests/hidden* file). They share the
// layout, trap handler and helpers of guests.ts; each records what it read in RESULTS, so a
// stale or missing translation shows as a memory difference against bare hardware.
import { entry, guest, twoProcesses, userRun } from './guests.ts';

/** USER_DATA's table entry offset in a table (virtual 0x128000 → entry 0x128). */
const DATA_ENTRY = 0x4a0;

/** Stores the markers `values` (one per frame) at the first word of `frames`. */
function markers(frames: readonly number[], values: readonly number[]): string {
  return frames.map((frame, i) => `    li r8, 0x${frame.toString(16)}\n    li r5, 0x${values[i]!.toString(16)}\n    st r5, [r8+0]`).join('\n');
}

/** Points USER_DATA's entry of table 0x11000 at `frame` (user, writable), with no invalidation. */
function remapData(frame: number): string {
  return `    li r8, 0x11000
    li r5, ${entry(frame, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+${DATA_ENTRY}]`;
}

/** The usual single address space: directory 0x10000, table 0x11000, data frames from 0x30000. */
const ONE_SPACE = `    li r1, 0x10000
    li r2, 0x11000
    li r3, 0x30000
    call build
    li r1, 0x10000
    call paging_on`;

/**
 * Paging switched off and on, by `mtcr status` and by `iret`: each is a point where bare
 * hardware flushes its TLB, so a stale translation cached before must be gone after it.
 */
export const PAGING_TOGGLES = guest(`
    li r4, USER_DATA
    tlbi r4                   ; before paging was ever on: nothing to invalidate
${ONE_SPACE}
${markers([0x34000, 0x35000, 0x36000], [0xaaaa, 0xbbbb, 0xcccc])}
    li r4, USER_DATA
    ld r6, [r4+0]             ; cache USER_DATA → 0x30000
${remapData(0x34000)}
    ld r6, [r4+0]
    st r6, [zero+RESULTS]     ; stale: 0
    mfcr r5, status
    li r7, STATUS_SUPERVISOR | STATUS_IE
    and r5, r5, r7
    mtcr status, r5           ; paging off
    li r8, 0x34000
    ld r6, [r8+0]             ; physical, through no table
    st r6, [zero+RESULTS+4]
    ori r5, r5, STATUS_PAGING
    mtcr status, r5           ; and on again: the TLB was flushed
    ld r6, [r4+0]
    st r6, [zero+RESULTS+8]   ; 0xaaaa
${remapData(0x35000)}
    ld r6, [r4+0]
    st r6, [zero+RESULTS+12]  ; stale: 0xaaaa
    li r1, iret_off
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR
    mtcr estatus, r1
    iret                      ; paging off through iret
iret_off:
    li r1, iret_on
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR | STATUS_PAGING
    mtcr estatus, r1
    iret                      ; and on again
iret_on:
    ld r6, [r4+0]
    st r6, [zero+RESULTS+16]  ; 0xbbbb
${remapData(0x36000)}
    ld r6, [r4+0]
    st r6, [zero+RESULTS+20]  ; stale: 0xbbbb
${userRun('u1', 'user_main')}
    ld r6, [r4+0]
    st r6, [zero+RESULTS+24]  ; still stale: user mode and traps flush nothing
    tlbflush
    ld r6, [r4+0]
    st r6, [zero+RESULTS+28]  ; 0xcccc
    syscall 99`,
  `
user_main:
    li r4, USER_DATA
    ld r5, [r4+0]
    st r5, [r4+0x1000]
    tlbflush                  ; privileged: each traps, and bare hardware flushes nothing
    tlbi r4
    li r1, 0x10000
    mtcr ptbr, r1
    syscall 98`,
);

/**
 * Degenerate: a guest that never turns paging on (its stores, loads and traps all physical, one
 * of them to the page a later guest would use as a table), then one that turns it on and off
 * for good.
 */
export const NEVER_PAGED = guest(`
    li r4, 0x11000
    li r5, 0x77
    st r5, [r4+0x4a0]
    ld r6, [r4+0x4a0]
    st r6, [zero+RESULTS]
    li r4, 0x40000
    ld r6, [r4+0]             ; past memory: bus error, paging off
    syscall 99`);

export const PAGED_THEN_NOT = guest(`
${ONE_SPACE}
    li r4, USER_DATA
    st r4, [r4+0]
    mfcr r5, status
    li r7, STATUS_SUPERVISOR
    and r5, r5, r7
    mtcr status, r5           ; paging off for good
    li r4, 0x30000
    ld r6, [r4+0]
    st r6, [zero+RESULTS]
    li r8, 0x11000
    st zero, [r8+0x4a0]       ; a page-table store with paging off
    syscall 99`);

/**
 * PTBR writes flush the TLB: reloading the value PTBR already holds, and switching to another
 * directory and back. A translation gone stale before either must be gone after it.
 */
export const PTBR_RELOAD = guest(`
${ONE_SPACE}
${markers([0x34000, 0x35000, 0x36000], [0x1234, 0x5678, 0x9abc])}
    li r4, USER_DATA
    st r4, [r4+0]             ; cache USER_DATA → 0x30000
${remapData(0x34000)}
    ld r6, [r4+0]
    st r6, [zero+RESULTS]     ; stale: the old frame's word
    li r1, 0x10000
    mtcr ptbr, r1             ; the same directory, reloaded
    ld r6, [r4+0]
    st r6, [zero+RESULTS+4]   ; 0x1234
${remapData(0x35000)}
    tlbi r4
    ld r6, [r4+0]
    st r6, [zero+RESULTS+8]   ; 0x5678
${remapData(0x36000)}
    ld r6, [r4+0]
    st r6, [zero+RESULTS+12]  ; stale: 0x5678
    mfcr r7, ptbr             ; reading PTBR flushes nothing
    ld r6, [r4+0]
    st r6, [zero+RESULTS+20]  ; still 0x5678
    li r8, 0x12000
    li r5, ${entry(0x11000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0]             ; another directory with the same table
    li r1, 0x12000
    mtcr ptbr, r1
    li r1, 0x10000
    mtcr ptbr, r1             ; and back
    ld r6, [r4+0]
    st r6, [zero+RESULTS+16]  ; 0x9abc
    syscall 99`);

/**
 * Directory edits: a second region (virtual 0x400000–0x7fffff) whose directory entry is pointed
 * at another table (without invalidation, then with `tlbi`), then removed.
 */
export const DIRECTORY_EDITS = guest(`
${ONE_SPACE}
${markers([0x36000, 0x37000], [0xc0c0, 0xd0d0])}
    li r8, 0x14000
    li r5, ${entry(0x36000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]          ; table 0x14000: virtual 0x429000 → 0x36000
    li r8, 0x15000
    li r5, ${entry(0x37000, 'PTE_USER | PTE_PRESENT')}
    st r5, [r8+0xa4]          ; table 0x15000: virtual 0x429000 → 0x37000, read-only
    li r8, 0x10000
    li r5, ${entry(0x14000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; directory entry 1 → table 0x14000
    li r4, 0x429000
    ld r6, [r4+0]
    st r6, [zero+RESULTS]     ; 0xc0c0
    li r5, ${entry(0x15000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; directory entry 1 → table 0x15000, not invalidated
    ld r6, [r4+0]
    st r6, [zero+RESULTS+4]   ; stale: 0xc0c0
    tlbi r4
    ld r6, [r4+0]
    st r6, [zero+RESULTS+8]   ; 0xd0d0
    st r6, [r4+8]             ; read-only in table 0x15000: page fault, store
    li r4, USER_DATA
    ld r6, [r4+0]             ; region 0 is untouched by all this
    st r6, [zero+RESULTS+12]
    li r4, 0x429000
    st zero, [r8+4]           ; directory entry 1 removed
    tlbflush
    ld r6, [r4+0]             ; page fault, load
    li r4, 0xffe000           ; directory entry 3 was never present (the word at 0xff8 looks like a table entry)
    ld r6, [r4+0]             ; page fault, load
    ; the top page of the address space, 0xfffff000: directory entry 1023 → table 0x16000
${markers([0x3c000, 0x3d000], [0xe0e0, 0xf0f0])}
    li r8, 0x16000
    li r5, ${entry(0x3c000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xffc]
    li r8, 0x10000
    li r5, ${entry(0x16000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xffc]
    li r4, 0xfffff000
    ld r6, [r4+0]
    st r6, [zero+RESULTS+16]  ; 0xe0e0
    li r8, 0x16000
    li r5, ${entry(0x3d000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xffc]         ; remapped, not invalidated
    cli                       ; a privileged instruction that flushes nothing
    ld r6, [r4+0]
    st r6, [zero+RESULTS+20]  ; stale: 0xe0e0
    tlbi r4
    ld r6, [r4+0]
    st r6, [zero+RESULTS+24]  ; 0xf0f0
    syscall 99`,
  '',
  `.org 0xff8
    .word 0x3b000 | PTE_USER | PTE_WRITABLE | PTE_PRESENT`,
);

/**
 * Two address spaces that share one page table (directory 0x12000 points at A's table too):
 * a remap made, and invalidated, while A runs must reach B's translations as well.
 */
export const SHARED_TABLE = guest(`
${ONE_SPACE}
${markers([0x34000, 0x35000], [0x7777, 0x8888])}
    li r8, 0x12000
    li r5, ${entry(0x11000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0]             ; B's directory: entry 0 → the same table
    li r4, USER_DATA
    li r5, 0x1010
    st r5, [r4+0]             ; through A
    li r1, 0x12000
    mtcr ptbr, r1
    ld r6, [r4+0]             ; through B
    st r6, [zero+RESULTS]
    li r1, 0x10000
    mtcr ptbr, r1
${remapData(0x34000)}
    tlbi r4
    ld r6, [r4+0]
    st r6, [zero+RESULTS+4]   ; A sees 0x7777
    li r1, 0x12000
    mtcr ptbr, r1
    ld r6, [r4+0]
    st r6, [zero+RESULTS+8]   ; and so does B
${userRun('u1', 'user_main')}
    ld r6, [r4+0]             ; B's translation, then A's, is the other way round
    li r1, 0x10000
    mtcr ptbr, r1
    ld r6, [r4+0]
${remapData(0x35000)}
    tlbi r4
    li r1, 0x12000
    mtcr ptbr, r1
    ld r6, [r4+0]
    st r6, [zero+RESULTS+12]  ; B sees 0x8888
    syscall 99`,
  `
user_main:
    li r4, USER_DATA
    ld r5, [r4+0]
    addi r5, r5, 1
    st r5, [r4+0]
    syscall 98`,
);

/**
 * Edits to an address space that is not in use: A gains a new table (for virtual 0x429000)
 * after its shadow was built; then, while B runs, the kernel changes A's new table and A's
 * directory. No invalidation is needed (loading A's PTBR flushes the TLB), so A must see both.
 */
export const INACTIVE_EDITS = guest(`
${ONE_SPACE}
    li r1, 0x12000
    li r2, 0x13000
    li r3, 0x34000
    call build
${markers([0x38000, 0x39000, 0x3a000, 0x3b000], [0x1111, 0x2222, 0x3333, 0x4444])}
    li r4, USER_DATA
    ld r6, [r4+0]             ; A's shadow has USER_DATA
    li r8, 0x14000
    li r5, ${entry(0x38000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]
    li r8, 0x10000
    li r5, ${entry(0x14000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; A's new table, for virtual 0x400000–0x7fffff
    li r8, 0x14000
    li r5, ${entry(0x3b000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa8]          ; and virtual 0x42a000 → 0x3b000
    li r7, 0x429000
    ld r6, [r7+0]
    st r6, [zero+RESULTS]     ; 0x1111
    ld r6, [r7+0x1000]
    st r6, [zero+RESULTS+12]  ; 0x4444
    li r1, 0x12000
    mtcr ptbr, r1             ; B runs
${userRun('b1', 'user_main')}
    li r8, 0x14000
    li r5, ${entry(0x39000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]          ; A's new table changed while B runs
    li r8, 0x11000
    li r5, ${entry(0x3a000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+${DATA_ENTRY}] ; and A's first table
    li r1, 0x10000
    mtcr ptbr, r1             ; A again
    ld r6, [r7+0]
    st r6, [zero+RESULTS+4]   ; 0x2222
    ld r6, [r4+0]
    st r6, [zero+RESULTS+8]   ; 0x3333
    li r1, 0x12000
    mtcr ptbr, r1             ; B again, and A's directory loses entry 1 meanwhile
    li r8, 0x10000
    st zero, [r8+4]
    li r1, 0x10000
    mtcr ptbr, r1
    ld r6, [r7+0x1000]        ; page fault, load: the whole region went with the entry
    ld r6, [r7+0]             ; page fault, load
    syscall 99`,
  `
user_main:
    li r4, USER_DATA
    ld r5, [r4+0]
    addi r5, r5, 3
    st r5, [r4+0]
    syscall 98`,
);

/** Spaces of MANY_SPACES: more than a VM may have shadow tables. */
const SPACES = 20;

/**
 * Twenty address spaces, visited in turn twice: all share the kernel's table, and each maps
 * virtual 0x429000 through one of two tables (by parity). Meanwhile the kernel retargets the
 * directory of a space long out of use and of one used recently. A VMM may create at most 16
 * shadow tables, so it must reuse them, and a reused table must not keep what it held.
 */
export const MANY_SPACES = guest(`
${ONE_SPACE}
${markers([0x38000, 0x39000], [0x100, 0x200])}
    li r8, 0x26000
    li r5, ${entry(0x38000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]
    li r8, 0x27000
    li r5, ${entry(0x39000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]
    ; directories 0x12000 + 0x1000 × k for k < 14, then 0x20000 + 0x1000 × (k − 14)
    li r1, 0x12000
    li r2, 0
    li r3, ${SPACES}
dirs:
    li r5, ${entry(0x11000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r1+0]
    andi r6, r2, 1
    li r5, ${entry(0x26000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    beq r6, zero, dirs_even
    li r5, ${entry(0x27000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
dirs_even:
    st r5, [r1+4]
    call next_directory
    addi r2, r2, 1
    bne r2, r3, dirs
    li r9, 0                  ; checksum of what every space reads
    li r7, 0x429000
    li r4, 2                  ; rounds
rounds:
    li r1, 0x12000
    li r2, 0
visit:
    mtcr ptbr, r1
    ld r6, [r7+0]
    li r5, 3
    mul r9, r9, r5            ; × 3 then + what was read: every visit counts, in order
    add r9, r9, r6
    li r6, USER_DATA
    ld r6, [r6+0]
    add r9, r9, r6
    call next_directory
    addi r2, r2, 1
    bne r2, r3, visit
    shli r5, r4, 2
    st r9, [r5+RESULTS]       ; each round's checksum
    ; retarget space 0 (long out of use) and space 15 (used recently) to the other table
    li r8, 0x12000
    li r5, ${entry(0x27000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]
    li r8, 0x21000
    li r5, ${entry(0x26000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]
    addi r4, r4, -1
    bne r4, zero, rounds
    ; space 13 again (its table was space 5's before): a stale translation, then a change to
    ; space 5's directory, long out of use, which must leave space 13's translations alone
${markers([0x3a000], [0x300])}
    li r1, 0x1f000
    mtcr ptbr, r1
    ld r6, [r7+0]
    li r8, 0x27000
    li r5, ${entry(0x3a000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]          ; odd spaces' table: 0x429000 → 0x3a000, not invalidated
    li r8, 0x17000
    li r5, ${entry(0x26000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; space 5's directory entry 1
    ld r6, [r7+0]
    st r6, [zero+RESULTS+12]  ; stale: 0x200
    tlbflush
    ld r6, [r7+0]
    st r6, [zero+RESULTS+16]  ; 0x300
    syscall 99

; next_directory(r1): the directory after r1
next_directory:
    addi r1, r1, 0x1000
    li r5, 0x20000
    bne r1, r5, nd_done
    li r1, 0x20000
nd_done:
    ret`);

/**
 * Bus errors: entries that point past the VM's 256 KiB, where bare hardware raises a bus error
 * at the physical address it could not reach (the frame, or the page table), beside the last
 * frame inside memory, which works.
 */
export const BUS_ERRORS = guest(`
${ONE_SPACE}
    li r8, 0x11000
    li r4, USER_DATA + 0x3000
    li r5, ${entry(0x3f000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4ac]         ; the last frame of memory
    tlbi r4
    li r5, 0x4242
    st r5, [r4+0xffc]
    ld r6, [r4+0xffc]
    st r6, [zero+RESULTS]
    li r5, ${entry(0x40000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4ac]         ; the first frame past it
    tlbi r4
    ld r6, [r4+8]             ; bus error at 0x40008
    li r8, 0x10000
    li r5, ${entry(0x40000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; a directory entry whose table is past memory
    li r7, 0x429000
    st r6, [r7+0]             ; bus error at the table entry's address
    li r7, 0x400000
    ld r6, [r7+0]             ; its first entry is the first word past memory: bus error at 0x40000
${userRun('u1', 'user_main')}
    syscall 99`,
  `
user_main:
    li r4, USER_DATA + 0x3000
    ld r5, [r4+4]             ; bus error at 0x40004, from user mode
    li r4, USER_DATA
    ld r5, [r4+0]
    st r5, [r4+4]
    syscall 98`,
);

/**
 * Permissions are the intersection of both levels: a region whose directory entry is
 * supervisor only (its table entry says user), a region whose directory entry is read-only
 * (its table entry says writable); the kernel's stores honour WRITABLE; a user program that
 * jumps to a page it may not execute (supervisor only) or that is not mapped.
 */
export const PERMISSIONS = guest(`
${ONE_SPACE}
    li r8, 0x14000
    li r5, ${entry(0x38000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa4]          ; virtual 0x429000 → 0x38000, user, writable …
    li r8, 0x10000
    li r5, ${entry(0x14000, 'PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+4]             ; … under a supervisor-only directory entry
    li r8, 0x15000
    li r5, ${entry(0x39000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0xa8]          ; virtual 0x82a000 → 0x39000, user, writable …
    li r8, 0x10000
    li r5, ${entry(0x15000, 'PTE_USER | PTE_PRESENT')}
    st r5, [r8+8]             ; … under a read-only directory entry
    li r4, 0x429000
    li r5, 0x5151
    st r5, [r4+0]             ; the kernel may
    li r4, 0x82a000
    ld r6, [r4+0]
    st r6, [zero+RESULTS]
    st r5, [r4+0]             ; read-only for the kernel too: page fault, store
${userRun('u1', 'user_main')}
${userRun('u2', 'user_jumps_to_kernel')}
${userRun('u3', 'user_jumps_nowhere')}
    syscall 99`,
  `
user_main:
    li r4, 0x429000
    ld r5, [r4+0]             ; supervisor-only directory entry: page fault, load
    li r4, 0x82a000
    ld r5, [r4+0]             ; readable
    st r5, [r4+4]             ; read-only directory entry: page fault, store
    li r4, USER_DATA
    st r5, [r4+0]
    syscall 98
user_jumps_to_kernel:
    jmp start                 ; supervisor-only page: page fault, fetch
user_jumps_nowhere:
    li r4, 0x12c000
    jr r4                     ; not mapped: page fault, fetch`,
);

/**
 * Two processes switched for `rounds` rounds; at every round, while A runs, the kernel rewrites
 * B's first user entry with the value it already holds (as a kernel refreshing its tables may):
 * nothing changed, so B's shadow must stay as it was.
 */
export function identicalRewrites(rounds: number): string {
  return twoProcesses(
    rounds,
    `    li r8, 0x13000
    ld r5, [r8+${DATA_ENTRY}]
    st r5, [r8+${DATA_ENTRY}]`,
  );
}

/**
 * `count` remaps of one page, each followed by `tlbi`, each read and written after: every update
 * needs at most one new hidden fault.
 */
export function remaps(count: number): string {
  return guest(`
${ONE_SPACE}
    li r4, USER_DATA
    li r9, ${count}
    li r7, 0
again:
    andi r6, r9, 1
    li r5, ${entry(0x30000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    beq r6, zero, even
    li r5, ${entry(0x34000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
even:
    li r8, 0x11000
    st r5, [r8+${DATA_ENTRY}]
    tlbi r4
    ld r6, [r4+0]
    addi r6, r6, 1
    st r6, [r4+0]
    add r7, r7, r6
    addi r9, r9, -1
    bne r9, zero, again
    st r7, [zero+RESULTS]
    syscall 99`);
}
