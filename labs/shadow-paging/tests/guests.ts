// Guest kernels of the public tests, and the parts every guest of this lab shares (public: you
// can read and assemble them, e.g. in a scratch test).
//
// Every guest boots in supervisor mode on a 256 KiB machine, builds two-level page tables,
// turns paging on and logs every trap it takes as [cause, tval, epc, estatus], so a fault
// reflected with the wrong cause or address, or one reflected that bare hardware never raised,
// shows up as a memory difference against bare hardware.
//
// Memory map (guest-physical; the kernel is identity-mapped, supervisor only):
//   0x0000–0x2fff kernel code · 0x6000 trap log · 0x7000 counters and results · 0x8000 stack top
//   0x9000 user code (user, read-only) · 0x10000–0x1ffff page directories and tables
//   0x30000–0x3ffff data frames, mapped for user programs at virtual 0x128000–0x12bfff.
// User pages sit at TLB slots (virtual page number mod 64) that nothing else uses, so bare
// hardware keeps their translations cached until the guest invalidates them.

/** Guest-physical memory of every guest of this lab. */
export const GUEST_BYTES = 256 * 1024;

const LAYOUT = `
.equ LOG, 0x6000            ; 256 trap records of 16 bytes
.equ LOG_COUNT, 0x7000      ; traps taken
.equ RESUME, 0x7004         ; where syscall 98 returns to (supervisor)
.equ RESUME_STATUS, 0x7008  ; and with which status
.equ RESULTS, 0x7100        ; values the guest records
.equ STACK_TOP, 0x8000
.equ USER_CODE, 0x9000
.equ USER_DATA, 0x128000    ; four user pages: 0x128000, 0x129000, 0x12a000, 0x12b000
.equ KERNEL_PAGES, 64       ; identity map of the whole 256 KiB, supervisor read-write
`;

/**
 * The trap handler (r10–r14 are its own; bodies use r1–r9): logs the trap, acknowledges timer
 * interrupts, steps over faulting instructions, ends the run on `syscall 99` and returns to
 * the kernel on `syscall 98` or after a fetch fault (there is no instruction to step over).
 */
const HANDLER = `
trap:
    mfcr r10, cause
    mfcr r11, tval
    mfcr r12, epc
    mfcr r13, estatus
    ld r14, [zero+LOG_COUNT]
    shli r14, r14, 4
    andi r14, r14, 0xff0
    st r10, [r14+LOG]
    st r11, [r14+LOG+4]
    st r12, [r14+LOG+8]
    st r13, [r14+LOG+12]
    ld r14, [zero+LOG_COUNT]
    addi r14, r14, 1
    st r14, [zero+LOG_COUNT]
    li r14, CAUSE_TIMER_INTERRUPT
    bne r10, r14, t_not_timer
    out TIMER_ACK, zero
    iret
t_not_timer:
    li r14, CAUSE_SYSCALL
    bne r10, r14, t_fault
    li r14, 99
    beq r11, r14, finish
    li r14, 98
    bne r11, r14, t_return
t_resume:
    ld r14, [zero+RESUME]
    mtcr epc, r14
    ld r14, [zero+RESUME_STATUS]
    mtcr estatus, r14
t_return:
    iret
t_fault:
    li r14, CAUSE_PAGE_FAULT_FETCH
    beq r10, r14, t_resume
    addi r12, r12, 4          ; step over the faulting instruction
    mtcr epc, r12
    iret

; the end: stop the timer, print one letter per logged trap cause, halt for good
finish:
    out TIMER_PERIOD, zero
    ld r2, [zero+LOG_COUNT]
    li r3, 256
    blt r2, r3, f_count_ok
    li r2, 256
f_count_ok:
    li r3, 0
    li r4, LOG
f_loop:
    beq r3, r2, f_done
    ld r5, [r4+0]
    addi r5, r5, 'a'
    out CONSOLE_DATA, r5
    addi r4, r4, 16
    addi r3, r3, 1
    jmp f_loop
f_done:
    li r5, 10
    out CONSOLE_DATA, r5
    cli
    halt

; build(r1 = directory, r2 = table, r3 = first of four data frames): directory entry 0 → the
; table; the table maps the kernel's 256 KiB identity, supervisor read-write, the user code page
; user read-only, and USER_DATA's four pages to the four frames, user read-write.
build:
    ori r5, r2, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r1+0]
    li r6, 0
    li r7, KERNEL_PAGES
    mov r8, r2
b_kernel:
    shli r5, r6, 12
    ori r5, r5, PTE_WRITABLE | PTE_PRESENT
    st r5, [r8+0]
    addi r8, r8, 4
    addi r6, r6, 1
    bne r6, r7, b_kernel
    li r5, USER_CODE | PTE_USER | PTE_PRESENT
    st r5, [r2+36]
    ori r5, r3, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r2+0x4a0]
    addi r5, r5, 0x1000
    st r5, [r2+0x4a4]
    addi r5, r5, 0x1000
    st r5, [r2+0x4a8]
    addi r5, r5, 0x1000
    st r5, [r2+0x4ac]
    ret

; paging_on(r1 = directory): load PTBR, then set the paging bit
paging_on:
    mtcr ptbr, r1
    mfcr r5, status
    ori r5, r5, STATUS_PAGING
    mtcr status, r5
    ret
`;

/**
 * A whole guest: stack and trap vector, `body`, then `finish`; `kernelData` (directives, e.g.
 * `.org` and `.word`) follows the kernel's code; `user` is placed at USER_CODE.
 */
export function guest(body: string, user = '', kernelData = ''): string {
  return `${LAYOUT}
start:
    li sp, STACK_TOP
    li r1, trap
    mtcr tvec, r1
${body}
    jmp finish
${HANDLER}
${kernelData}
${user === '' ? '' : `.org USER_CODE\n${user}`}
`;
}

/**
 * Runs the user program at `label` (user mode, paging on, interrupts off) and comes back on
 * `syscall 98` to the kernel, paging on. Labels are made unique by `id`.
 */
export function userRun(id: string, label: string): string {
  return `    li r1, back_${id}
    st r1, [zero+RESUME]
    li r1, STATUS_SUPERVISOR | STATUS_PAGING
    st r1, [zero+RESUME_STATUS]
    li r1, ${label}
    mtcr epc, r1
    li r1, STATUS_PAGING
    mtcr estatus, r1
    iret
back_${id}:`;
}

/** Page-table entry value for `frame` with the given PTE_* flags, as assembler text. */
export function entry(frame: number, flags: string): string {
  return `0x${frame.toString(16)} | ${flags}`;
}

/**
 * Hidden and true faults: one address space. The kernel and a user program touch mapped pages
 * (hidden faults under a shadow VMM, nothing on bare hardware) and pages the guest's tables
 * refuse (true faults the guest must see exactly as on bare hardware: unmapped, read-only,
 * supervisor only, beyond the directory's only entry).
 */
export const FIRST_TOUCH = guest(
  `
    li r1, 0x10000
    li r2, 0x11000
    li r3, 0x30000
    call build
    li r1, 0x10000
    call paging_on
    li r4, USER_DATA
    li r5, 0x1111
    st r5, [r4+0]             ; the kernel may use user pages
    ld r6, [r4+0]
    st r6, [zero+RESULTS]
${userRun('u1', 'user_main')}
    li r4, 0x12c000           ; not mapped (the table has no entry): page fault, load
    ld r6, [r4+0]
    li r4, 0x400000           ; beyond directory entry 0: page fault, store
    st r5, [r4+0]
    li r4, USER_CODE
    ld r6, [r4+0]             ; read-only for the user, readable by the kernel
    st r6, [zero+RESULTS+4]
    st r5, [r4+0]             ; but read-only for the kernel too: page fault, store
    li r4, 0x30000            ; the frame behind USER_DATA, through the kernel's identity map
    ld r6, [r4+4]
    st r6, [zero+RESULTS+8]
    syscall 99`,
  `
user_main:
    li r4, USER_DATA
    li r5, 7
    st r5, [r4+4]
    ld r6, [r4+0]
    add r6, r6, r5
    st r6, [r4+0x1000]        ; the second user page
    ld r6, [r4+0x1000]
    st r6, [r4+0x3ffc]        ; the last word of the fourth
    li r7, USER_CODE
    ld r8, [r7+0]             ; user code is readable
    st r8, [r4+0x2000]
    st r5, [r7+0]             ; but not writable: page fault, store
    li r7, 0x7000
    ld r8, [r7+0]             ; kernel page: page fault, load
    li r7, 0x12c000
    st r5, [r7+0]             ; not mapped: page fault, store
    ld r8, [r4+4]
    st r8, [r4+8]
    syscall 98`,
);

/**
 * Page-table edits in one address space: a remap followed by `tlbi`, one followed by `tlbflush`,
 * and the non-coherent TLB: after a remap without invalidation, bare hardware goes on using the
 * cached (stale) translation until the guest invalidates it; a read-only downgrade without
 * invalidation leaves the page writable; an upgrade is seen at once (a cached translation that
 * refuses an access is walked again); an unmapped page faults once invalidated.
 */
export const TABLE_EDITS = guest(
  `
    li r1, 0x10000
    li r2, 0x11000
    li r3, 0x30000
    call build
    li r1, 0x10000
    call paging_on
    ; frames 0x34000 and 0x35000 hold markers
    li r8, 0x34000
    li r5, 0xaaaa
    st r5, [r8+0]
    li r5, 0xbbbb
    st r5, [r8+0x1000]
    li r8, 0x11000            ; the table, through the kernel's identity map
    li r4, USER_DATA
    ld r6, [r4+0]             ; cache USER_DATA → 0x30000
    ; remap USER_DATA to 0x34000, then tlbi
    li r5, ${entry(0x34000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4a0]
    tlbi r4
    ld r6, [r4+0]
    st r6, [zero+RESULTS]     ; 0xaaaa
    ; remap the second page without invalidating: the stale translation stays
    li r7, USER_DATA + 0x1000
    li r5, 0x2222
    st r5, [r7+0]             ; writes frame 0x31000, caching the translation
    li r5, ${entry(0x35000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4a4]
    ld r6, [r7+0]
    st r6, [zero+RESULTS+4]   ; still 0x2222 (stale)
    li r5, 0x3333
    st r5, [r7+4]             ; lands in frame 0x31000
    tlbflush
    ld r6, [r7+0]
    st r6, [zero+RESULTS+8]   ; 0xbbbb now
    ; downgrade the third page to read-only without invalidating: still writable
    li r7, USER_DATA + 0x2000
    li r5, 0x4444
    st r5, [r7+0]
    li r5, ${entry(0x32000, 'PTE_USER | PTE_PRESENT')}
    st r5, [r8+0x4a8]
    li r5, 0x5555
    st r5, [r7+4]             ; the stale writable translation allows it
    tlbi r7
    st r5, [r7+8]             ; page fault, store
    ; upgrade it again without invalidating: the refused access walks the table again
    li r5, ${entry(0x32000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4a8]
    st r5, [r7+12]
    ; unmap the fourth page, invalidate, touch it: page fault, load
    li r7, USER_DATA + 0x3000
    ld r6, [r7+0]
    st zero, [r8+0x4ac]
    tlbi r7
    ld r6, [r7+0]
    syscall 99`,
);

/**
 * Two processes, each with its own directory and table, switched by PTBR writes for `rounds`
 * rounds; each run touches the process's four user pages. Before the rounds, while process A's
 * tables are in use, the kernel remaps a page of process B (no invalidation is needed: loading
 * B's PTBR flushes the TLB on bare hardware), and B must see the new frame. `eachRound` is
 * kernel code run at the start of every round, while A's tables are in use (r1–r8 are free).
 */
export function twoProcesses(rounds: number, eachRound = ''): string {
  return guest(
    `
    li r1, 0x10000
    li r2, 0x11000
    li r3, 0x30000
    call build
    li r1, 0x12000
    li r2, 0x13000
    li r3, 0x34000
    call build
    li r1, 0x10000
    call paging_on
    li r8, 0x38000
    li r5, 0xcafe
    st r5, [r8+0]
    li r8, 0x13000
    li r5, ${entry(0x38000, 'PTE_USER | PTE_WRITABLE | PTE_PRESENT')}
    st r5, [r8+0x4a0]         ; B's first page → 0x38000, written while A runs
    li r9, ${rounds}
round:
    li r1, 0x10000
    mtcr ptbr, r1
${eachRound}
${userRun('a', 'user_main')}
    li r1, 0x12000
    mtcr ptbr, r1
${userRun('b', 'user_main')}
    addi r9, r9, -1
    bne r9, zero, round
    li r1, 0x10000
    mtcr ptbr, r1
    li r4, USER_DATA
    ld r6, [r4+0]
    st r6, [zero+RESULTS]
    li r1, 0x12000
    mtcr ptbr, r1
    ld r6, [r4+0]
    st r6, [zero+RESULTS+4]   ; 0xcafe + the rounds' increments
    syscall 99`,
    `
user_main:
    li r4, USER_DATA
    ld r5, [r4+0]
    addi r5, r5, 1
    st r5, [r4+0]
    ld r5, [r4+0x1000]
    addi r5, r5, 2
    st r5, [r4+0x1000]
    ld r5, [r4+0x2000]
    st r5, [r4+0x2004]
    ld r5, [r4+0x3000]
    syscall 98`,
  );
}
