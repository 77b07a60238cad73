// Guests only the hidden tests run (never shipped: the name starts with "hidden").
import { SeededRandom } from '@virtlab/sim';

/** A trap handler that logs [cause, tval, epc] at 0x7000 + 12 × n, then resumes after the instruction. */
const LOG_AND_SKIP = `
trap:
    mfcr r10, cause
    mfcr r11, tval
    mfcr r12, epc
    ld r13, [zero+0x6ff0]
    st r10, [r13+0x7000]
    st r11, [r13+0x7004]
    st r12, [r13+0x7008]
    addi r13, r13, 12
    st r13, [zero+0x6ff0]
    addi r12, r12, 4
    mtcr epc, r12
    iret`;

/** Paging on, identity map of 0–64 KiB; page 0x8000 read-only, page 0xa000 unmapped: pushf/popf fault or not as bare hardware does. */
export const PAGED_STACK = `
    li r1, trap
    mtcr tvec, r1
    li r2, 0x11000            ; page table (the directory is at 0x10000)
    li r3, 0
fill:
    ori r4, r3, PTE_PRESENT | PTE_WRITABLE
    st r4, [r2+0]
    addi r2, r2, 4
    li r5, 0x1000
    add r3, r3, r5
    li r5, 0x20000
    bltu r3, r5, fill
    li r5, 0x11000
    li r4, 0x8000 | PTE_PRESENT
    st r4, [r5+0x20]          ; 0x8000: read-only
    st zero, [r5+0x28]        ; 0xa000: not mapped
    li r4, 0x11000 | PTE_PRESENT | PTE_WRITABLE
    li r5, 0x10000
    st r4, [r5+0]
    li r4, 0x10000
    mtcr ptbr, r4
    li r4, STATUS_SUPERVISOR | STATUS_PAGING
    mtcr status, r4
    rdptb r6                  ; 0x10000: the kernel's table
    li sp, 0x9000             ; push into read-only 0x8ffc: a store fault
    pushf
    mov r7, sp
    li sp, 0x8ff8             ; pop from read-only memory: allowed
    popf
    mov r8, sp
    li sp, 0xa000             ; pop from an unmapped page: a load fault
    popf
    li sp, 0xb000             ; push into 0xaffc, unmapped: a store fault
    pushf
    li sp, 0x9002             ; misaligned
    pushf
    li sp, 0xc000
    pushf
    rdmode r9
    halt
${LOG_AND_SKIP}`;

/** The timer fires while interrupts are off; the popf that turns them on must take it at once. */
export const PENDING_AT_POPF = `
    li sp, 0x9000
    li r1, tick
    mtcr tvec, r1
    sti
    pushf                     ; a saved word with IE on
    cli
    li r1, 6
    out TIMER_PERIOD, r1
    li r2, 40
wait:
    addi r2, r2, -1
    bne r2, zero, wait        ; the tick is pending by now
    popf                      ; IE on: the interrupt arrives before the next instruction
    addi r3, r3, 1
    addi r3, r3, 1
    cli
    halt
tick:
    out TIMER_PERIOD, zero
    out TIMER_ACK, zero
    mfcr r4, epc
    mov r5, r3
    iret`;

/** Timer ticks while a loop runs nothing but silent sensitive instructions: interrupts land right before them. */
export const TICKS_AMONG_SILENT = `
    li sp, 0x9000
    li r1, tick
    mtcr tvec, r1
    li r1, 13
    out TIMER_PERIOD, r1
    li r2, 30
    sti
loop:
    rdmode r3
    rdptb r4
    pushf
    popf
    addi r2, r2, -1
    bne r2, zero, loop
    cli
    halt
tick:
    out TIMER_ACK, zero
    addi r5, r5, 4
    mfcr r6, epc
    st r6, [r5+0x7000]
    iret`;

/** Paging off: stacks past the VM's memory and misaligned. */
export const BARE_STACK = `
    li r1, trap
    mtcr tvec, r1
    li sp, 0x40000            ; the top of 256 KiB: push into 0x3fffc is fine
    pushf
    popf
    li sp, 0x40004            ; past memory: bus errors
    pushf
    popf
    li sp, 0x7ffe
    popf
    halt
${LOG_AND_SKIP}`;

/** Self-modifying kernel code: a slot first innocuous then popf, and a pushf slot turned innocuous. */
export const REWRITES_ITSELF = `
    li sp, 0x9000
    li r9, 0
again:
    sti
    pushf                     ; saved word: IE on
    cli
slot:
    addi r1, r1, 1            ; first pass: innocuous, IE stays off; second: popf
    mfcr r2, status
    st r2, [r9+0x7000]
other:
    pushf                     ; first pass: pushes; second: rewritten to addi
    addi r9, r9, 4
    li r3, 2
    slti r4, r9, 8
    beq r4, zero, done
    li r5, 0x71000000         ; popf
    st r5, [zero+slot]
    li r5, 0x20330001         ; addi r3, r3, 1
    st r5, [zero+other]
    jmp again
done:
    cli
    halt`;

const SILENT = ['pushf', 'popf', 'rdmode r{r}', 'rdptb r{r}'];
const PLAIN = ['addi r{r}, r{r}, {n}', 'xori r{r}, r{r}, {n}', 'mov r{r}, sp', 'cli', 'sti', 'mfcr r{r}, status', 'li r{r}, {n}', 'mtcr scratch, r{r}'];

/**
 * A seeded random kernel: a run of silent sensitive instructions among ordinary ones, with the
 * interrupt flag toggled at random, a balanced stack and every register stored at the end.
 */
export function randomKernel(seed: number, length = 60): string {
  const random = new SeededRandom(seed);
  const lines = ['    li sp, 0x9000'];
  let depth = 0;
  for (let i = 0; i < length; i++) {
    let pick = random.pick(random.chance(0.4) ? SILENT : PLAIN);
    if (pick === 'popf' && depth === 0) pick = 'pushf';
    if (pick === 'pushf') depth++;
    if (pick === 'popf') depth--;
    const r = random.int(1, 12);
    lines.push(`    ${pick.replaceAll('{r}', String(r)).replaceAll('{n}', String(random.int(0, 500)))}`);
  }
  for (let r = 1; r < 13; r++) lines.push(`    st r${r}, [zero+${0x7000 + 4 * r}]`);
  lines.push('    cli', '    halt');
  return lines.join('\n');
}
