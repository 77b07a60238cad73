// Guest kernels for the hidden tests (a helper, private like every tests/hidden* file).
//
// Every guest here runs in supervisor mode from reset on a 64 KiB machine and keeps a log of
// the traps it takes — [cause, tval, epc, estatus] per trap — so that a trap reflected with the
// wrong cause, value, saved pc or saved status shows up as a memory difference against bare
// hardware, not only as a different ending.
import { SeededRandom } from '@virtlab/sim';

/** Memory map shared by the hand-picked guests. */
const LAYOUT = `
.equ LOG, 0x6000            ; 256 trap records of 16 bytes
.equ LOG_COUNT, 0x7000      ; traps taken
.equ RESUME, 0x7004         ; where syscall 98 returns to (supervisor)
.equ RESUME_STATUS, 0x7008  ; and with which status
.equ RESULTS, 0x7100        ; values the guest records
.equ STACK_TOP, 0x8000
.equ USER_CODE, 0x9000
`;

/**
 * The trap handler every guest shares (r10–r14 are its own; bodies use r1–r9). It logs the
 * trap, acknowledges interrupts, steps over faulting instructions, ends the run on `syscall 99`
 * and returns to the kernel on `syscall 98`.
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
    li r14, CAUSE_BLOCK_INTERRUPT
    bne r10, r14, t_not_block
    out BLOCK_ACK, zero
    iret
t_not_block:
    li r14, CAUSE_SYSCALL
    bne r10, r14, t_fault
    li r14, 99
    beq r11, r14, finish
    li r14, 98
    bne r11, r14, t_return
    ld r14, [zero+RESUME]
    mtcr epc, r14
    ld r14, [zero+RESUME_STATUS]
    mtcr estatus, r14
t_return:
    iret
t_fault:
    li r14, CAUSE_BREAKPOINT
    beq r10, r14, t_return
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
`;

/** Wraps a body: stack, trap vector, body, then `finish`. */
function guest(body: string, user = ''): string {
  return `${LAYOUT}
start:
    li sp, STACK_TOP
    li r1, trap
    mtcr tvec, r1
${body}
    jmp finish
${HANDLER}
${user === '' ? '' : `.org USER_CODE\n${user}`}
`;
}

/** A counted loop of `n` iterations of arithmetic on r1–r3 (labels made unique by `id`). */
function work(id: string, n: number): string {
  return `    li r3, ${n}
w_${id}:
    mul r1, r3, r3
    add r2, r2, r1
    addi r3, r3, -1
    bne r3, zero, w_${id}`;
}

/**
 * Enters user mode at `label` (with `userStatus`) and comes back on `syscall 98` with
 * `kernelStatus`. Interrupts are masked while EPC and ESTATUS are set up: a trap in between
 * would overwrite them (a real kernel bug this avoids).
 */
function userExcursion(id: string, label: string, userStatus: string, kernelStatus: string): string {
  return `    cli
    li r1, back_${id}
    st r1, [zero+RESUME]
    li r1, ${kernelStatus}
    st r1, [zero+RESUME_STATUS]
    li r1, ${label}
    mtcr epc, r1
    li r1, ${userStatus}
    mtcr estatus, r1
    iret
back_${id}:`;
}

/**
 * Control registers and the sensitive instructions: every register written and read back,
 * `rdmode`, `rdptb`, `pushf`/`popf`, `cli`/`sti` with no interrupt source.
 */
export const CONTROL_REGISTERS = guest(`
    li r1, 0x1234
    mtcr scratch, r1
    mfcr r2, scratch
    st r2, [zero+RESULTS]
    li r1, 0x5000
    mtcr ptbr, r1
    rdptb r3
    st r3, [zero+RESULTS+4]
    mfcr r3, ptbr
    st r3, [zero+RESULTS+8]
    li r1, 0x4444
    mtcr epc, r1
    li r1, 0x0002
    mtcr estatus, r1
    li r1, 0x77
    mtcr cause, r1
    li r1, 0x88
    mtcr tval, r1
    mfcr r4, epc
    mfcr r5, estatus
    mfcr r6, cause
    mfcr r7, tval
    mfcr r8, tvec
    mfcr r9, status
    st r4, [zero+RESULTS+12]
    st r5, [zero+RESULTS+16]
    st r6, [zero+RESULTS+20]
    st r7, [zero+RESULTS+24]
    st r8, [zero+RESULTS+28]
    st r9, [zero+RESULTS+32]
    rdmode r1
    st r1, [zero+RESULTS+36]
    sti
    pushf
    cli
    pushf
    pop r2
    pop r3
    st r2, [zero+RESULTS+40]
    st r3, [zero+RESULTS+44]
    push r3
    popf                      ; IE back on
    mfcr r4, status
    st r4, [zero+RESULTS+48]
    li r5, 0xfffffff8         ; popf must not change the mode or paging bits
    push r5
    popf
    mfcr r4, status
    st r4, [zero+RESULTS+52]
    li r5, STATUS_SUPERVISOR
    push r5
    popf
    mfcr r4, status
    st r4, [zero+RESULTS+56]
    li r5, STATUS_SUPERVISOR | STATUS_PAGING | STATUS_IE
    push r5
    popf                      ; ... not even to turn paging on
    mfcr r4, status
    st r4, [zero+RESULTS+60]
    cli
    ; the same instructions with the registers at the other end of the file
    li r13, 0x5678
    mtcr scratch, r13
    mfcr r12, scratch
    st r12, [zero+RESULTS+64]
    rdmode r15
    rdptb r9
    st r15, [zero+RESULTS+68]
    st r9, [zero+RESULTS+72]
    li sp, STACK_TOP
    in r11, TIMER_PERIOD
    st r11, [zero+RESULTS+76]
    li r1, 'c'
    out CONSOLE_DATA, r1
    mfcr r1, scratch
    out CONSOLE_DATA, r1
    ; mtcr status may drop to user mode: the next privileged instructions trap
    li r1, back_mode
    st r1, [zero+RESUME]
    li r1, STATUS_SUPERVISOR
    st r1, [zero+RESUME_STATUS]
    mtcr status, zero
    rdmode r2
    mfcr r3, status
    syscall 98
back_mode:
    mfcr r3, status
    st r3, [zero+RESULTS+80]
`);

/**
 * Every kind of trap, from supervisor and from user mode: system calls, breakpoint, divide by
 * zero, undefined opcodes, misaligned access, bus error, and privileged instructions in user mode.
 */
export const EXCEPTIONS = guest(
  `
    syscall 5
    brk
    li r2, 0
    div r3, r1, r2
    .word 0
    .word 0xff000000
    li r2, 0x1002
    ld r3, [r2+0]
    li r2, 0x10000            ; just past the 64 KiB of memory
    ld r3, [r2+0]
    li r2, 0x20000
    st r3, [r2+0]
    syscall 0x7fff
${userExcursion('u1', 'USER_CODE', '0', 'STATUS_SUPERVISOR')}
    li r1, 'k'
    out CONSOLE_DATA, r1
${userExcursion('u2', 'user_two', 'STATUS_IE', 'STATUS_SUPERVISOR | STATUS_IE')}
    syscall 6
`,
  `
    li r1, 1
    syscall 7
    cli
    sti
    mfcr r1, status
    mtcr status, r1
    out CONSOLE_DATA, r1
    in r1, TIMER_NOW
    halt
    iret
    rdmode r2
    rdptb r3
    pushf
    popf
    tlbflush
    tlbi r1
    brk
    li r4, 0
    rem r5, r1, r4
    syscall 98
user_two:
    st r1, [zero+RESULTS+60] ; user mode may store anywhere while paging is off
    syscall 8
    syscall 98
`,
);

/**
 * Instructions whose emulation faults: an invalid control register, a native `hcall`, `pushf`
 * and `popf` on a misaligned or missing stack. A VMM reflects the fault at the instruction's own
 * pc; the simulator then takes back the retirement it counted at the exit, so even the
 * instruction count matches bare hardware.
 */
export const FAULTING_EMULATION = guest(`
    .word 0x61100009          ; mfcr r1, control register 9 (there are 8)
    .word 0x6210000c          ; mtcr control register 12, r1
    li r4, 0x3c
    li r3, 0x11
    .word 0x62400007          ; mtcr control register 7 (scratch, the last one), r4: fine
    .word 0x61300008          ; mfcr r3, control register 8 (CONTROL_REGISTER_COUNT): undefined
    .word 0x62400008          ; mtcr control register 8, r4: undefined
    .word 0x61500007          ; mfcr r5, control register 7: fine
    st r3, [zero+RESULTS]
    st r5, [zero+RESULTS+4]
    hcall 3                   ; no hypercalls on bare hardware: an undefined instruction
    li sp, 0x8002
    pushf
    st sp, [zero+RESULTS+8]   ; a faulting pushf or popf leaves sp as it was
    popf
    st sp, [zero+RESULTS+12]
    li sp, 0x10008            ; past memory
    pushf
    st sp, [zero+RESULTS+16]
    li sp, 0x10000
    popf
    st sp, [zero+RESULTS+20]
    li sp, STACK_TOP
    li r1, 'f'
    out CONSOLE_DATA, r1
`);

/**
 * Timer interrupts around every way a kernel masks and unmasks them: `sti`, `cli`, writing
 * STATUS, `popf`, `iret`, and idling with `halt`; plus a block-device interrupt.
 */
export const INTERRUPTS = guest(`
    li r1, 97
    out TIMER_PERIOD, r1
    sti
${work('a', 120)}
    cli
${work('b', 60)}
    sti                       ; the tick that came while masked arrives right here
${work('c', 30)}
    cli
${work('d', 60)}
    mfcr r1, status
    ori r1, r1, STATUS_IE
    mtcr status, r1           ; ... or here
${work('e', 30)}
    pushf                     ; IE on
    cli
${work('f', 60)}
    popf                      ; ... or here
${work('g', 30)}
    cli
${work('h', 60)}
    li r1, after_iret
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR | STATUS_IE
    mtcr estatus, r1
    iret                      ; ... or at after_iret
after_iret:
${work('i', 10)}
    sti
    halt                      ; idle until the next tick
    halt
    in r1, TIMER_NOW
    st r1, [zero+RESULTS]
    li r1, 41
    out TIMER_PERIOD, r1      ; a new period
${work('j', 80)}
    cli
    out TIMER_PERIOD, zero    ; no more ticks
    li r1, 1
    out BLOCK_INTERRUPT_ENABLE, r1
    li r1, 2
    out BLOCK_SECTOR, r1
    li r1, 0x5000
    out BLOCK_ADDRESS, r1
    li r1, 2
    out BLOCK_COMMAND, r1     ; completes at once: line 1 raised while masked
${work('k', 5)}
    sti                       ; the block interrupt arrives here
${work('l', 5)}
    in r1, TIMER_NOW
    st r1, [zero+RESULTS+4]
    mfcr r1, status
    st r1, [zero+RESULTS+8]
`);

/**
 * Paging: two address spaces that map one virtual page to different frames, PTBR switches,
 * page-table edits followed by `tlbi` and `tlbflush`, `pushf`/`popf` on a paged stack, and
 * a user program that touches supervisor and read-only pages.
 */
export const PAGING = guest(
  `
    ; space 1: directory 0x2000, table 0x3000; space 2: directory 0x4000, table 0x5000
    li r1, 0x2000
    li r2, 0x3000
    li r3, 0xb000
    call build
    li r1, 0x4000
    li r2, 0x5000
    li r3, 0xc000
    call build
    li r1, 0x2000
    mtcr ptbr, r1
    mfcr r1, status
    ori r1, r1, STATUS_PAGING
    mtcr status, r1
    li r4, 0x10000            ; the page the two spaces map differently
    li r5, 111
    st r5, [r4+0]
    li r1, 0x4000
    mtcr ptbr, r1
    li r5, 222
    st r5, [r4+0]
    ld r6, [r4+0]
    st r6, [zero+RESULTS]
    li r1, 0x2000
    mtcr ptbr, r1
    ld r6, [r4+0]
    st r6, [zero+RESULTS+4]
    rdptb r6
    st r6, [zero+RESULTS+8]
    ; point space 1's page at 0xd000, then invalidate the cached translation
    li r1, 0xd000 | PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r1, [zero+0x3040]
    tlbi r4
    li r5, 333
    st r5, [r4+0]
    li r7, 0xd000
    ld r6, [r7+0]
    st r6, [zero+RESULTS+12]
    ; and back to 0xb000, this time flushing the whole TLB
    ld r6, [r4+0]
    li r1, 0xb000 | PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r1, [zero+0x3040]
    tlbflush
    ld r6, [r4+0]
    st r6, [zero+RESULTS+16]
    sti
    pushf
    cli
    popf
    pushf
    pop r6
    st r6, [zero+RESULTS+20]
    cli
    ; the stack at a page boundary: the page below sp maps to another frame (0xb000)
    li sp, 0x11000
    pushf                     ; writes virtual 0x10ffc, physical 0xbffc
    st sp, [zero+RESULTS+28]
    popf
    popf                      ; virtual 0x11000 is not mapped: page fault (load), sp unchanged
    st sp, [zero+RESULTS+32]
    ; a stack on a read-only page: pushf faults (store), popf reads
    li sp, USER_CODE + 0x10
    pushf
    st sp, [zero+RESULTS+36]
    popf
    st sp, [zero+RESULTS+40]
    cli
    li sp, STACK_TOP
    ; popf never changes the paging bit, not even to turn paging off
    li r5, STATUS_SUPERVISOR | STATUS_IE
    push r5
    popf
    mfcr r6, status
    st r6, [zero+RESULTS+44]
    cli
    ; iret restores the paging bit with the rest of STATUS: off, then on again
    li r1, iret_paging_off
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR
    mtcr estatus, r1
    iret
iret_paging_off:
    mfcr r6, status
    st r6, [zero+RESULTS+48]
    li r1, iret_paging_on
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR | STATUS_PAGING
    mtcr estatus, r1
    iret
iret_paging_on:
    mfcr r6, status
    st r6, [zero+RESULTS+52]
${userExcursion('p1', 'USER_CODE', 'STATUS_PAGING', 'STATUS_SUPERVISOR | STATUS_PAGING')}
    ; paging off again
    mfcr r1, status
    andi r1, r1, STATUS_SUPERVISOR | STATUS_IE
    mtcr status, r1
    li r7, 0xb000
    ld r6, [r7+0]
    st r6, [zero+RESULTS+24]
    jmp finish

; build(r1 = directory, r2 = table, r3 = frame for virtual 0x10000): pages 0-15 identity,
; supervisor only, except the user code page (read-only) and 0xa000 (user data)
build:
    ori r5, r2, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r1+0]
    li r6, 0
    li r7, 16
    mov r8, r2
b_loop:
    shli r5, r6, 12
    ori r5, r5, PTE_WRITABLE | PTE_PRESENT
    st r5, [r8+0]
    addi r8, r8, 4
    addi r6, r6, 1
    bne r6, r7, b_loop
    li r5, USER_CODE | PTE_USER | PTE_PRESENT
    st r5, [r2+0x24]
    li r5, 0xa000 | PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r2+0x28]
    ori r5, r3, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r2+0x40]
    ret
`,
  `
    li r1, 0xa000
    li r2, 5
    st r2, [r1+0]             ; user data: fine
    ld r3, [r1+0]
    li r1, 0x1000
    ld r3, [r1+0]             ; supervisor page: page fault (load)
    li r1, USER_CODE
    st r2, [r1+0]             ; read-only code page: page fault (store)
    li r1, 0x10000
    ld r3, [r1+0]
    li r1, 0x400000
    ld r3, [r1+0]             ; no page table: page fault
    syscall 98
`,
);

/**
 * The last word of a `memoryBytes` machine and one past it, for loads and stores, for
 * `pushf`/`popf` (sp at the end of memory pushes onto the last word; one word further is a bus
 * error) and for disk DMA. Each refused access has its legitimate neighbour next to it.
 */
export function memoryEdges(memoryBytes: number): string {
  return guest(`
    li r2, ${memoryBytes - 4}
    li r3, 0x5a
    st r3, [r2+0]             ; the last word: fine
    ld r4, [r2+0]
    st r4, [zero+RESULTS]
    ld r4, [r2+4]             ; one past: bus error
    st r3, [r2+4]             ; one past: bus error
    li sp, ${memoryBytes}
    sti
    pushf                     ; onto the last word
    st sp, [zero+RESULTS+4]
    cli
    popf                      ; from the last word: IE back on
    st sp, [zero+RESULTS+8]
    mfcr r5, status
    st r5, [zero+RESULTS+12]
    cli
    popf                      ; one past: bus error
    st sp, [zero+RESULTS+16]
    li sp, ${memoryBytes + 4}
    pushf                     ; one past: bus error
    st sp, [zero+RESULTS+20]
    li sp, STACK_TOP
    ; disk DMA into the last sector's worth of memory (fine), then one word further (refused)
    li r1, 1
    out BLOCK_SECTOR, r1
    li r1, ${memoryBytes - 512}
    out BLOCK_ADDRESS, r1
    li r1, 1
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+24]
    li r1, ${memoryBytes - 508}
    out BLOCK_ADDRESS, r1
    li r1, 1
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+28]
    li r1, 'e'
    out CONSOLE_DATA, r1
`);
}

/**
 * Guests that do next to nothing: halt at once, halt with a timer tick pending and interrupts
 * off, or run with the timer on and interrupts off to the end.
 */
export const DEGENERATE: Readonly<Record<string, string>> = {
  'halts at once': `    halt`,
  'interrupts off forever, timer running': `
    li r1, 30
    out TIMER_PERIOD, r1
    li r3, 200
spin:
    addi r3, r3, -1
    bne r3, zero, spin
    mfcr r4, status
    halt`,
  'powers off at once': `
    li r1, 7
    out POWER_OFF, r1`,
};

/** Devices through `in`/`out`: time, console, block device reads and writes, power-off. */
export const DEVICES = guest(`
    in r1, TIMER_NOW
    st r1, [zero+RESULTS]
    li r1, 5000
    out TIMER_PERIOD, r1
    in r2, TIMER_PERIOD
    st r2, [zero+RESULTS+4]
    in r3, CONSOLE_STATUS
    st r3, [zero+RESULTS+8]
    in r4, CONSOLE_INPUT
    st r4, [zero+RESULTS+12]
    ; fill a buffer, write it to sector 3, read it back elsewhere
    li r1, 0x4000
    li r2, 0
    li r3, 128
fill:
    mul r4, r2, r2
    st r4, [r1+0]
    addi r1, r1, 4
    addi r2, r2, 1
    bne r2, r3, fill
    li r1, 3
    out BLOCK_SECTOR, r1
    li r1, 0x4000
    out BLOCK_ADDRESS, r1
    li r1, 2
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+16]
    li r1, 0x5000
    out BLOCK_ADDRESS, r1
    li r1, 1
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+20]
    in r5, BLOCK_SECTOR
    st r5, [zero+RESULTS+24]
    li r1, 9999               ; a sector the disk does not have
    out BLOCK_SECTOR, r1
    li r1, 1
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+28]
    in r1, TIMER_NOW
    st r1, [zero+RESULTS+32]
    li r1, 'd'
    out CONSOLE_DATA, r1
    li r1, 10
    out CONSOLE_DATA, r1
    li r1, 42
    out POWER_OFF, r1
    li r1, 'x'                ; never runs
    out CONSOLE_DATA, r1
`);

/**
 * A guest that tries to reach beyond its own memory every way it can: loads and stores across
 * the address space, page tables and page-table entries that point past its memory, and disk
 * DMA from and to addresses it does not have. It records what it got back.
 */
export const ESCAPE_ATTEMPTS = guest(`
    li r2, 0x10000
    li r3, 0x400000
    li r4, 0x5a5a5a5a
scribble:
    st r4, [r2+0]
    ld r5, [r2+0]
    li r6, 0x10000
    add r2, r2, r6
    bne r2, r3, scribble
    ; DMA to and from memory the VM does not have
    li r1, 1
    out BLOCK_SECTOR, r1
    li r1, 0x3fe00
    out BLOCK_ADDRESS, r1
    li r1, 1
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS]
    li r1, 0xfff00
    out BLOCK_ADDRESS, r1
    li r1, 2
    out BLOCK_COMMAND, r1
    in r5, BLOCK_STATUS
    st r5, [zero+RESULTS+4]
    ; paging on, with a page-table entry that maps virtual 0x10000 to physical 0x200000
    li r1, 0x3000 | PTE_PRESENT | PTE_WRITABLE
    st r1, [zero+0x2000]
    li r6, 0
    li r7, 16
    li r8, 0x3000
map_low:
    shli r5, r6, 12
    ori r5, r5, PTE_WRITABLE | PTE_PRESENT
    st r5, [r8+0]
    addi r8, r8, 4
    addi r6, r6, 1
    bne r6, r7, map_low
    li r1, 0x200000 | PTE_PRESENT | PTE_WRITABLE
    st r1, [zero+0x3040]
    li r1, 0x2000
    mtcr ptbr, r1
    mfcr r1, status
    ori r1, r1, STATUS_PAGING
    mtcr status, r1
    li r2, 0x10000
    st r4, [r2+0]             ; bus error at the frame's physical address
    ld r5, [r2+0]
    ; a page table past the end of memory
    li r1, 0x400000 | PTE_PRESENT | PTE_WRITABLE
    st r1, [zero+0x2004]
    li r2, 0x400000
    ld r5, [r2+0]             ; bus error at the table entry's physical address
    mfcr r1, status
    andi r1, r1, STATUS_SUPERVISOR
    mtcr status, r1
`);

/** Options of a seeded random guest ({@link randomGuest}). */
export interface RandomGuestOptions {
  /** Snippets in the body. */
  readonly snippets: number;
}

/**
 * A seeded random kernel: a random timer period, paging on or off, and a body of random
 * snippets — work, masking and unmasking interrupts in every way, control registers, sensitive
 * instructions, system calls and faults, device access, idling, user-mode excursions with
 * privileged instructions and faults, and (with paging) address-space switches and TLB
 * maintenance. Same seed, same kernel.
 */
export function randomGuest(seed: number, options: RandomGuestOptions = { snippets: 60 }): string {
  const rng = new SeededRandom(seed);
  const period = rng.chance(0.2) ? 0 : rng.int(90, 700);
  const paging = rng.chance(0.5);
  const lines: string[] = [];
  let user = '';
  const emit = (text: string): void => {
    lines.push(text);
  };
  const kernelStatus = paging ? 'STATUS_SUPERVISOR | STATUS_PAGING' : 'STATUS_SUPERVISOR';
  if (paging) {
    // Two flat spaces (every page user-accessible, so user excursions can run kernel-page code),
    // which map virtual 0x10000 to 0xb000 and 0xc000.
    emit(`    li r1, 0x2000
    li r2, 0x3000
    li r3, 0xb000
    call build
    li r1, 0x4000
    li r2, 0x5000
    li r3, 0xc000
    call build
    li r1, 0x2000
    mtcr ptbr, r1
    mfcr r1, status
    ori r1, r1, STATUS_PAGING
    mtcr status, r1`);
  }
  if (period > 0) emit(`    li r1, ${period}\n    out TIMER_PERIOD, r1`);
  if (rng.chance(0.7)) emit('    sti');
  const controlNames = ['status', 'ptbr', 'tvec', 'epc', 'estatus', 'cause', 'tval', 'scratch'];
  for (let i = 0; i < options.snippets; i++) {
    const id = `s${i}`;
    const slot = `RESULTS+${(i % 64) * 4}`;
    const choice = rng.int(0, paging ? 19 : 17);
    switch (choice) {
      case 0:
      case 1:
        emit(work(id, rng.int(1, 60)));
        break;
      case 2:
        emit('    cli');
        break;
      case 3:
        emit('    sti');
        break;
      case 4:
        emit(`    li r4, ${rng.int(-30000, 30000)}\n    mtcr scratch, r4\n    mfcr r5, scratch\n    st r5, [zero+${slot}]`);
        break;
      case 5:
        emit(`    mfcr r5, ${rng.pick(controlNames)}\n    st r5, [zero+${slot}]`);
        break;
      case 6:
        emit(`    pushf\n    ${rng.pick(['cli', 'sti'])}\n${work(id, rng.int(1, 40))}\n    popf`);
        break;
      case 7:
        emit(`    syscall ${rng.int(0, 97)}`);
        break;
      case 8:
        emit(rng.pick(['    brk', '    li r6, 0\n    div r7, r2, r6', '    .word 0', '    li r6, 0x1001\n    ld r7, [r6+0]', '    li r6, 0x10004\n    st r7, [r6+0]']));
        break;
      case 9:
        emit(`    in r5, ${rng.pick(['TIMER_NOW', 'CONSOLE_STATUS', 'TIMER_PERIOD', 'BLOCK_STATUS'])}\n    st r5, [zero+${slot}]`);
        break;
      case 10:
        emit(`    li r5, ${rng.int(33, 126)}\n    out CONSOLE_DATA, r5`);
        break;
      case 11:
        emit(`    rdmode r5\n    rdptb r6\n    add r5, r5, r6\n    st r5, [zero+${slot}]`);
        break;
      case 12:
        emit(`    mfcr r5, status\n    xori r5, r5, STATUS_IE\n    mtcr status, r5`);
        break;
      case 13:
        emit(period > 0 ? '    sti\n    halt' : '    nop');
        break;
      case 14:
        emit(`    pushf\n    pop r5\n    st r5, [zero+${slot}]\n    push r5\n    popf`);
        break;
      case 15: {
        const ie = rng.chance(0.5) ? ' | STATUS_IE' : '';
        const userStatus = paging ? `STATUS_PAGING${ie}` : `0${ie}`;
        emit(`    pushf\n${userExcursion(id, `user_${id}`, userStatus, `${kernelStatus}${ie}`)}\n    popf`);
        const privileged = rng.pick(['cli', 'sti', 'halt', 'mfcr r1, status', 'out CONSOLE_DATA, r1', 'in r1, TIMER_NOW', 'rdmode r1', 'pushf', 'iret', 'tlbflush']);
        user += `user_${id}:
    li r1, ${rng.int(0, 1000)}
${work(`u${id}`, rng.int(1, 30))}
    ${privileged}
    syscall ${rng.int(0, 97)}
${paging ? '    li r6, 0x2000\n    ld r7, [r6+0]          ; flat spaces: every page is user-accessible\n' : ''}    syscall 98
`;
        break;
      }
      case 16:
        emit(`    cli\n    li r5, after_${id}\n    mtcr epc, r5\n    mfcr r5, status\n    ${rng.pick(['ori r5, r5, STATUS_IE', 'andi r5, r5, STATUS_SUPERVISOR | STATUS_PAGING'])}\n    mtcr estatus, r5\n    iret\nafter_${id}:`);
        break;
      case 17:
        emit(`    tlbflush\n    li r5, ${rng.int(0, 15) << 12}\n    tlbi r5`);
        break;
      case 18:
        emit(`    li r5, ${rng.pick(['0x2000', '0x4000'])}\n    mtcr ptbr, r5\n    li r6, 0x10000\n    ld r7, [r6+0]\n    addi r7, r7, ${rng.int(1, 9)}\n    st r7, [r6+0]\n    st r7, [zero+${slot}]`);
        break;
      case 19:
        emit(`    li r6, ${rng.pick(['0xb000', '0xc000', '0xd000'])} | PTE_USER | PTE_WRITABLE | PTE_PRESENT\n    mfcr r5, ptbr\n    addi r5, r5, 0x1040\n    st r6, [r5+0]\n    li r7, 0x10000\n    tlbi r7\n    ld r8, [r7+0]\n    st r8, [zero+${slot}]`);
        break;
    }
  }
  const build = paging
    ? `
    jmp finish
build:                        ; r1 = directory, r2 = table, r3 = frame for virtual 0x10000
    ori r5, r2, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r1+0]
    li r6, 0
    li r7, 16
    mov r8, r2
b_loop:
    shli r5, r6, 12
    ori r5, r5, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r8+0]
    addi r8, r8, 4
    addi r6, r6, 1
    bne r6, r7, b_loop
    ori r5, r3, PTE_USER | PTE_WRITABLE | PTE_PRESENT
    st r5, [r2+0x40]
    ret`
    : '';
  return guest(lines.join('\n') + build, user);
}
