/**
 * The reference guest kernel, as VL32 assembly generated from options.
 *
 * A small but complete time-sharing kernel: it builds two-level page tables for two user
 * processes, enables paging, programs the timer, drops to user mode, switches processes on
 * timer interrupts (loading PTBR), serves system calls (putc, puts, getpid, remap, exit),
 * kills processes that fault or execute privileged instructions, idles with `halt` once every
 * process has exited, and finally halts with interrupts off.
 *
 * Two flavours share one source, the way a paravirtual port changes only a kernel's
 * architecture layer:
 * - `native`: unmodified; uses privileged instructions (runs on bare hardware, under
 *   trap-and-emulate or under binary translation);
 * - `paravirtual`: every privileged operation replaced by hypercalls ({@link Hypercall}) and
 *   a shared trap frame; console output is buffered and flushed with one hypercall per line.
 *   It needs a VMM that implements the {@link Hypercall} ABI and direct system calls.
 *
 * Physical layout (the kernel is identity-mapped, supervisor only):
 *
 * | address | contents |
 * |---|---|
 * | 0x0000–0x2fff | kernel code |
 * | 0x3000 | kernel data: current process, tick count, shared trap frame (0x3010), PCBs (0x3100, 0x3200, idle 0x3300), console buffer (0x3400) |
 * | 0x4000 / 0x5000 | page directory / page table of process A |
 * | 0x6000 / 0x7000 | page directory / page table of process B |
 * | 0x8000–0x8fff | kernel stack |
 * | 0x9000 | user program (mapped read-only at virtual 0x100000 in both processes) |
 * | 0xa000–0xd000 | data and stack pages of A and B (virtual 0x101000 and 0x102000) |
 * | 0xe000, 0xf000 | the two frames `remap` alternates at virtual 0x103000 |
 * @module
 */
import { SimError } from '../common/errors.ts';

/** Hypercall numbers of the reference paravirtual ABI (`hcall n`, arguments in r2–r4). */
export const Hypercall = {
  /** r2 = trap vector, r3 = guest-physical address of the 20-byte shared trap frame. Enables direct syscalls. */
  SETUP: 1,
  /**
   * Return from a trap: if frame[16] ≠ 0, load it as the new PTBR (and clear it); then
   * STATUS ← frame[12], pc ← frame[8].
   */
  IRET: 2,
  /** r2 = page directory: load PTBR (flushing the TLB) and enable paging. */
  SET_PTBR: 3,
  /** r2 = guest-physical address of bytes, r3 = length: print them. */
  CONSOLE_WRITE: 4,
  /** r2 = timer period (0 = off). The hypervisor acknowledges timer interrupts it delivers. */
  SET_TIMER: 5,
  /** Enable interrupts and wait for one (the paravirtual `sti; halt`). */
  IDLE: 6,
  /** Stop the virtual CPU for good (the paravirtual `cli; halt`). */
  HALT: 7,
  /** r2 = guest-physical address of a page-table entry, r3 = new value, r4 = virtual address to invalidate. */
  MMU_UPDATE: 8,
} as const;

/** Layout of the shared trap frame (byte offsets). */
export const SharedFrame = { CAUSE: 0, VALUE: 4, EPC: 8, ESTATUS: 12, NEXT_PTBR: 16, ADDRESS: 0x3010 } as const;

/** System call numbers of the reference kernel. */
export const Syscall = { PUTC: 1, PUTS: 2, GETPID: 3, EXIT: 4, YIELD: 5, REMAP: 6 } as const;

/**
 * The calibration workload: two processes that compute, print a character, flip a page
 * mapping every other iteration and yield to each other every iteration (a context switch),
 * with a timer tick every 100 000 instructions. It is OS-intensive on purpose — the kind of
 * workload on which the 2007 lecture's overhead figures were observed — and the cost model's
 * free constants were chosen so that it lands in the lecture's bands (see the README).
 */
export const CALIBRATION_KERNEL: Readonly<KernelOptions> = Object.freeze({
  iterations: 40,
  work: 6000,
  timerPeriod: 100_000,
  remapEvery: 2,
  yieldEvery: 1,
  faults: false,
  processes: 2,
});

/** Options of {@link referenceKernel}. */
export interface KernelOptions {
  /** `native` (default) or `paravirtual`. */
  flavour?: 'native' | 'paravirtual';
  /** Outer iterations of each user process (each ends with a putc system call). Default 12. */
  iterations?: number;
  /** Inner compute-loop iterations between system calls (5 instructions each). Default 40. */
  work?: number;
  /** A `remap` system call every this many iterations (0 = never). Default 4. */
  remapEvery?: number;
  /** A `yield` system call (a context switch) every this many iterations (0 = never). Default 0. */
  yieldEvery?: number;
  /** Timer period in ticks (retired instructions). Default 500. */
  timerPeriod?: number;
  /** Number of user processes, 1 or 2. Default 2. */
  processes?: 1 | 2;
  /** End process A with a privileged instruction and B with a page fault (both get killed). Default true. */
  faults?: boolean;
  /**
   * Use sensitive instructions the way 2000s kernels did: check `rdmode` at boot and wrap
   * console output in `pushf; cli; ... popf`. Native flavour only. Default false.
   */
  sensitive?: boolean;
  /** Idle ticks (`halt` with interrupts on) before the final halt. Default 2. */
  idleTicks?: number;
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimError('INVALID_ARGUMENT', `referenceKernel: ${name} must be an integer ${min}…${max}, got ${String(value)}`);
  }
  return value;
}

/** Generates the reference kernel's assembly source. Assemble it with `assemble()`. */
export function referenceKernel(options: KernelOptions = {}): string {
  const flavour = options.flavour ?? 'native';
  if (flavour !== 'native' && flavour !== 'paravirtual') throw new SimError('INVALID_ARGUMENT', `referenceKernel: flavour must be 'native' or 'paravirtual', got ${String(flavour)}`);
  const pv = flavour === 'paravirtual';
  const iterations = checkCount('iterations', options.iterations ?? 12, 1, 10_000_000);
  const work = checkCount('work', options.work ?? 40, 1, 32_000);
  const remapEvery = checkCount('remapEvery', options.remapEvery ?? 4, 0, 10_000_000);
  const yieldEvery = checkCount('yieldEvery', options.yieldEvery ?? 0, 0, 10_000_000);
  const period = checkCount('timerPeriod', options.timerPeriod ?? 500, 0, 0x7fffffff);
  const processes = checkCount('processes', options.processes ?? 2, 1, 2);
  const faults = options.faults ?? true;
  const sensitive = (options.sensitive ?? false) && !pv;
  const idleTicks = checkCount('idleTicks', options.idleTicks ?? 2, 0, 1000);

  /** Emits native or paravirtual code. */
  const arch = (native: string, para: string): string => (pv ? para : native);

  return `; virtlab reference kernel (${flavour})
.equ ITERATIONS, ${iterations}
.equ WORK, ${work}
.equ REMAP_EVERY, ${remapEvery}
.equ YIELD_EVERY, ${yieldEvery}
.equ PERIOD, ${period}
.equ PROCESSES, ${processes}
.equ IDLE_TICKS, ${idleTicks}

.equ CURRENT, 0x3000
.equ TICKS, 0x3004
.equ ALIVE, 0x3008
.equ SAVED_R1, 0x300c
.equ SHARED, 0x3010
.equ IDLE_COUNT, 0x3024
.equ KBUF_LEN, 0x3028
.equ PCB_A, 0x3100
.equ PCB_B, 0x3200
.equ PCB_IDLE, 0x3300
.equ KBUF, 0x3400
.equ PD_A, 0x4000
.equ PT_A, 0x5000
.equ PD_B, 0x6000
.equ PT_B, 0x7000
.equ KSTACK_TOP, 0x9000
.equ USER_CODE, 0x9000
.equ USER_VA, 0x100000
.equ UVA, USER_VA - USER_CODE
.equ USER_DATA, 0x101000
.equ USER_STACK_TOP, 0x103000
.equ USER_SCRATCH, 0x103000
.equ REMAP_FRAME_1, 0xe000
.equ REMAP_FRAME_2, 0xf000

; PCB fields (byte offsets): pid, r1..r15, pc, ptbr, alive, next, status
.equ PCB_PID, 0
.equ PCB_PC, 64
.equ PCB_PTBR, 68
.equ PCB_ALIVE, 72
.equ PCB_NEXT, 76
.equ PCB_STATUS, 80
.equ USER_STATUS, STATUS_IE | STATUS_PAGING
.equ IDLE_STATUS, STATUS_SUPERVISOR | STATUS_PAGING | STATUS_IE

; hypercalls (paravirtual flavour)
.equ HC_SETUP, ${Hypercall.SETUP}
.equ HC_IRET, ${Hypercall.IRET}
.equ HC_SET_PTBR, ${Hypercall.SET_PTBR}
.equ HC_CONSOLE_WRITE, ${Hypercall.CONSOLE_WRITE}
.equ HC_SET_TIMER, ${Hypercall.SET_TIMER}
.equ HC_IDLE, ${Hypercall.IDLE}
.equ HC_HALT, ${Hypercall.HALT}
.equ HC_MMU_UPDATE, ${Hypercall.MMU_UPDATE}

start:
    li sp, KSTACK_TOP
${arch(
  `    li r1, trap_entry
    mtcr tvec, r1`,
  `    li r2, trap_entry
    li r3, SHARED
    hcall HC_SETUP`,
)}
    li r1, banner
    call kputs
${
  sensitive
    ? `    rdmode r1                 ; a kernel checking where it runs (like SMSW)
    bne r1, zero, mode_ok
    li r1, mode_wrong
    call kputs
mode_ok:`
    : ''
}
    ; address spaces: page directory, page table, data frame, stack frame
    li r1, PD_A
    li r2, PT_A
    li r3, 0xa000
    li r4, 0xb000
    call build_space
    li r1, PD_B
    li r2, PT_B
    li r3, 0xc000
    li r4, 0xd000
    call build_space
    ; process control blocks: pcb, pid, page directory, next
    li r1, PCB_A
    li r2, 'A'
    li r3, PD_A
    li r4, ${processes === 2 ? 'PCB_B' : 'PCB_A'}
    call init_pcb
    li r1, PCB_B
    li r2, 'B'
    li r3, PD_B
    li r4, PCB_A
    call init_pcb
    li r1, PROCESSES
    st r1, [zero+ALIVE]
    li r1, PCB_IDLE
    li r2, idle_loop
    st r2, [r1+PCB_PC]
    li r2, IDLE_STATUS
    st r2, [r1+PCB_STATUS]
    li r2, PD_A
    st r2, [r1+PCB_PTBR]
    ; paging on, with A's address space
${arch(
  `    li r1, PD_A
    mtcr ptbr, r1
    mfcr r2, status
    ori r2, r2, STATUS_PAGING
    mtcr status, r2`,
  `    li r2, PD_A
    hcall HC_SET_PTBR`,
)}
    li r1, paging_msg
    call kputs
${arch(
  `    li r1, PERIOD
    out TIMER_PERIOD, r1`,
  `    li r2, PERIOD
    hcall HC_SET_TIMER`,
)}
    li r1, PCB_A
    st r1, [zero+CURRENT]
    jmp resume

; build_space(r1 = page directory, r2 = page table, r3 = data frame, r4 = stack frame)
build_space:
    ori r5, r2, PTE_PRESENT | PTE_WRITABLE | PTE_USER
    st r5, [r1+0]
    li r6, 0
    li r7, 9                  ; kernel: pages 0..8, identity, supervisor only
    mov r8, r2
bs_kernel:
    shli r5, r6, 12
    ori r5, r5, PTE_PRESENT | PTE_WRITABLE
    st r5, [r8+0]
    addi r8, r8, 4
    addi r6, r6, 1
    bne r6, r7, bs_kernel
    li r5, USER_CODE | PTE_PRESENT | PTE_USER
    st r5, [r2+1024]          ; virtual 0x100000: user code, read-only
    ori r5, r3, PTE_PRESENT | PTE_WRITABLE | PTE_USER
    st r5, [r2+1028]          ; 0x101000: data
    ori r5, r4, PTE_PRESENT | PTE_WRITABLE | PTE_USER
    st r5, [r2+1032]          ; 0x102000: stack
    li r5, REMAP_FRAME_1 | PTE_PRESENT | PTE_WRITABLE | PTE_USER
    st r5, [r2+1036]          ; 0x103000: scratch page that remap flips
    ret

; init_pcb(r1 = pcb, r2 = pid, r3 = page directory, r4 = next pcb)
init_pcb:
    st r2, [r1+PCB_PID]
    st r2, [r1+4]             ; the process starts with its pid in r1
    li r5, USER_STACK_TOP
    st r5, [r1+60]
    li r5, USER_VA
    st r5, [r1+PCB_PC]
    st r3, [r1+PCB_PTBR]
    li r5, 1
    st r5, [r1+PCB_ALIVE]
    st r4, [r1+PCB_NEXT]
    li r5, USER_STATUS
    st r5, [r1+PCB_STATUS]
    ret

; ---- trap entry: save the interrupted context into the current PCB ----
trap_entry:
    st r1, [zero+SAVED_R1]
    ld r1, [zero+CURRENT]
    st r2, [r1+8]
    st r3, [r1+12]
    st r4, [r1+16]
    st r5, [r1+20]
    st r6, [r1+24]
    st r7, [r1+28]
    st r8, [r1+32]
    st r9, [r1+36]
    st r10, [r1+40]
    st r11, [r1+44]
    st r12, [r1+48]
    st r13, [r1+52]
    st r14, [r1+56]
    st r15, [r1+60]
    ld r2, [zero+SAVED_R1]
    st r2, [r1+4]
    li sp, KSTACK_TOP
${arch(
  `    mfcr r2, epc
    mfcr r3, cause
    mfcr r4, tval`,
  `    ld r2, [zero+SHARED+8]
    ld r3, [zero+SHARED+0]
    ld r4, [zero+SHARED+4]`,
)}
    st r2, [r1+PCB_PC]
    li r5, CAUSE_SYSCALL
    beq r3, r5, do_syscall
    li r5, CAUSE_TIMER_INTERRUPT
    beq r3, r5, do_timer
    jmp do_fault

; ---- return to the current PCB's context ----
resume:
    ld r1, [zero+CURRENT]
    ld r2, [r1+PCB_PC]
    ld r3, [r1+PCB_STATUS]
${arch(
  `    mtcr epc, r2
    mtcr estatus, r3`,
  `    st r2, [zero+SHARED+8]
    st r3, [zero+SHARED+12]`,
)}
    ld r2, [r1+8]
    ld r3, [r1+12]
    ld r4, [r1+16]
    ld r5, [r1+20]
    ld r6, [r1+24]
    ld r7, [r1+28]
    ld r8, [r1+32]
    ld r9, [r1+36]
    ld r10, [r1+40]
    ld r11, [r1+44]
    ld r12, [r1+48]
    ld r13, [r1+52]
    ld r14, [r1+56]
    ld r15, [r1+60]
    ld r1, [r1+4]
${arch('    iret', '    hcall HC_IRET')}

; switch_to(r1 = pcb): make it current and load its address space
switch_to:
    st r1, [zero+CURRENT]
    ld r2, [r1+PCB_PTBR]
${arch('    mtcr ptbr, r2', '    st r2, [zero+SHARED+16]     ; HC_IRET loads it')}
    jmp resume

; next_alive: r1 = the next live process after the current one (or the idle PCB)
next_alive:
    ld r1, [zero+CURRENT]
    li r3, PCB_IDLE
    beq r1, r3, na_idle
    mov r2, r1
na_loop:
    ld r1, [r1+PCB_NEXT]
    ld r4, [r1+PCB_ALIVE]
    bne r4, zero, na_done
    bne r1, r2, na_loop
na_idle:
    li r1, PCB_IDLE
na_done:
    ret

; ---- timer interrupt ----
do_timer:
${arch('    out TIMER_ACK, zero', '    ; the hypervisor acknowledged the virtual timer when it delivered it')}
    ld r5, [zero+TICKS]
    addi r5, r5, 1
    st r5, [zero+TICKS]
    ld r1, [zero+CURRENT]
    li r3, PCB_IDLE
    beq r1, r3, idle_tick
    call next_alive
    ld r2, [zero+CURRENT]
    beq r1, r2, resume
    jmp switch_to
idle_tick:
    ld r5, [zero+IDLE_COUNT]
    addi r5, r5, 1
    st r5, [zero+IDLE_COUNT]
    li r6, IDLE_TICKS
    blt r5, r6, resume
    li r1, bye_msg
    call kputs
    call kflush
${arch(
  `    cli
    halt`,
  `    hcall HC_HALT`,
)}

; the idle context (entered with interrupts on): sleep until the next interrupt
idle_loop:
${arch('    halt', '    hcall HC_IDLE')}
    jmp idle_loop

; ---- system calls: r4 = number; user registers are in the PCB (r1) ----
do_syscall:
    li r5, ${SYS('PUTC')}
    beq r4, r5, sys_putc
    li r5, ${SYS('PUTS')}
    beq r4, r5, sys_puts
    li r5, ${SYS('GETPID')}
    beq r4, r5, sys_getpid
    li r5, ${SYS('EXIT')}
    beq r4, r5, sys_exit
    li r5, ${SYS('YIELD')}
    beq r4, r5, sys_yield
    li r5, ${SYS('REMAP')}
    beq r4, r5, sys_remap
    li r5, -1
    st r5, [r1+8]
    jmp resume

sys_putc:
    ld r5, [r1+8]
    call kputc
    jmp resume

sys_puts:                     ; the kernel reads the string through the user's mapping
    ld r6, [r1+8]
sp_loop:
    ldb r5, [r6+0]
    beq r5, zero, resume
    call kputc
    addi r6, r6, 1
    jmp sp_loop

sys_getpid:
    ld r5, [r1+PCB_PID]
    st r5, [r1+8]
    jmp resume

sys_yield:
    call next_alive
    jmp switch_to

; remap: flip the scratch page of the calling process between two frames
sys_remap:
    ld r2, [r1+PCB_PTBR]
    ld r2, [r2+0]             ; page directory entry 0 -> page table
    li r3, 0xfffff000
    and r2, r2, r3
    addi r2, r2, 1036         ; entry for 0x103000
    ld r3, [r2+0]
    li r4, REMAP_FRAME_1 | PTE_PRESENT | PTE_WRITABLE | PTE_USER
    bne r3, r4, remap_store
    li r4, REMAP_FRAME_2 | PTE_PRESENT | PTE_WRITABLE | PTE_USER
remap_store:
    li r5, USER_SCRATCH
${arch(
  `    st r4, [r2+0]
    tlbi r5`,
  `    mov r3, r4
    mov r4, r5
    hcall HC_MMU_UPDATE`,
)}
    jmp resume

sys_exit:
    li r5, '['
    call kputc
    ld r1, [zero+CURRENT]
    ld r5, [r1+PCB_PID]
    call kputc
    li r1, exit_msg
    call kputs
kill_current:
    ld r1, [zero+CURRENT]
    st zero, [r1+PCB_ALIVE]
    ld r2, [zero+ALIVE]
    addi r2, r2, -1
    st r2, [zero+ALIVE]
    bne r2, zero, kill_next
    li r1, done_msg
    call kputs
    ld r5, [zero+TICKS]
    call kputdec
    li r5, 10
    call kputc
    call kflush
kill_next:
    call next_alive
    jmp switch_to

; ---- faults: report and kill the process ----
do_fault:                     ; r3 = cause, r4 = value
    mov r9, r3
    mov r10, r4
    li r5, '['
    call kputc
    ld r1, [zero+CURRENT]
    ld r5, [r1+PCB_PID]
    call kputc
    li r1, fault_msg
    call kputs
    mov r5, r9
    call kputdec
    li r1, fault_at
    call kputs
    mov r5, r10
    call kputhex
    li r5, ']'
    call kputc
    li r5, 10
    call kputc
    jmp kill_current

; ---- console ----
; kputs(r1 = kernel address of a NUL-terminated string); clobbers r1, r5
kputs:
    push r7
${sensitive ? '    pushf                     ; save the interrupt flag (like 2000s kernels)\n    cli' : ''}
kputs_loop:
    ldb r5, [r1+0]
    beq r5, zero, kputs_done
    push r1
    call kputc
    pop r1
    addi r1, r1, 1
    jmp kputs_loop
kputs_done:
${sensitive ? '    popf                      ; restore it: silently ignored in user mode on x86-like CPUs' : ''}
    pop r7
    ret

; kputc(r5 = character)
kputc:
${arch(
  `    out CONSOLE_DATA, r5
    ret`,
  `    ld r7, [zero+KBUF_LEN]    ; buffer the character, flush on newline or when full
    li r8, KBUF
    add r8, r8, r7
    stb r5, [r8+0]
    addi r7, r7, 1
    st r7, [zero+KBUF_LEN]
    li r8, 10
    beq r5, r8, kflush
    li r8, 120
    bge r7, r8, kflush
    ret`,
)}

; kflush: write out buffered console output (paravirtual flavour)
kflush:
${arch(
  '    ret',
  `    push r2
    push r3
    li r2, KBUF
    ld r3, [zero+KBUF_LEN]
    beq r3, zero, kflush_done
    hcall HC_CONSOLE_WRITE
    st zero, [zero+KBUF_LEN]
kflush_done:
    pop r3
    pop r2
    ret`,
)}

; kputdec(r5 = unsigned number); clobbers r5, r6, r7, r8
kputdec:
    li r6, 0x3500             ; digit buffer
    li r7, 10
kd_loop:
    rem r8, r5, r7
    addi r8, r8, '0'
    stb r8, [r6+0]
    addi r6, r6, 1
    div r5, r5, r7
    bne r5, zero, kd_loop
kd_print:
    addi r6, r6, -1
    ldb r5, [r6+0]
    push r6
    call kputc
    pop r6
    li r7, 0x3500
    bne r6, r7, kd_print
    ret

; kputhex(r5 = number): 0x followed by 8 hex digits; clobbers r5, r6, r9
kputhex:
    mov r9, r5
    li r5, '0'
    call kputc
    li r5, 'x'
    call kputc
    li r6, 28
kh_loop:
    shr r5, r9, r6
    andi r5, r5, 15
    li r7, 10
    blt r5, r7, kh_digit
    addi r5, r5, 'a' - 10 - '0'
kh_digit:
    addi r5, r5, '0'
    push r6
    call kputc
    pop r6
    addi r6, r6, -4
    bge r6, zero, kh_loop
    ret

banner: .asciz "virtlab kernel (${flavour})\\n"
paging_msg: .asciz "paging on\\n"
exit_msg: .asciz " exit]\\n"
fault_msg: .asciz " killed: cause "
fault_at: .asciz " value "
done_msg: .asciz "all processes exited, ticks="
bye_msg: .asciz "idle done, halting\\n"
mode_wrong: .asciz "warning: kernel is not in supervisor mode!\\n"

; ---- the user program (same code in both processes; r1 = pid) ----
.org USER_CODE
user_start:
    mov r13, r1
    li r10, ITERATIONS
    li r11, 0                 ; iteration counter for remap
    li r9, 0                  ; iteration counter for yield
    li r6, USER_DATA
u_outer:
    li r3, 0
    li r4, WORK
u_inner:
    mul r5, r3, r3
    add r7, r7, r5
    st r7, [r6+0]
    addi r3, r3, 1
    bne r3, r4, u_inner
    mov r2, r13
    syscall ${SYS('PUTC')}
${
  remapEvery > 0
    ? `    addi r11, r11, 1
    li r12, REMAP_EVERY
    bne r11, r12, u_next
    li r11, 0
    li r12, USER_SCRATCH
    ld r5, [r12+0]            ; what the old frame held
    addi r5, r5, 1
    syscall ${SYS('REMAP')}
    st r5, [r12+0]            ; write through the new mapping
u_next:`
    : ''
}
${
  yieldEvery > 0
    ? `    addi r9, r9, 1
    li r12, YIELD_EVERY
    bne r9, r12, u_no_yield
    li r9, 0
    syscall ${SYS('YIELD')}
u_no_yield:`
    : ''
}
    addi r10, r10, -1
    bne r10, zero, u_outer
    syscall ${SYS('GETPID')}
    mov r5, r2
    li r2, user_done + UVA
    syscall ${SYS('PUTS')}
${
  faults
    ? `    li r3, 'A'
    bne r5, r3, u_fault_b
    cli                       ; user mode: privileged instruction -> killed
u_fault_b:
    li r3, 0x300000
    ld r2, [r3+0]             ; unmapped -> page fault -> killed`
    : ''
}
    syscall ${SYS('EXIT')}
user_done: .asciz " done\\n"
`;
}

function SYS(name: keyof typeof Syscall): number {
  return Syscall[name];
}
