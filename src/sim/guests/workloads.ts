/**
 * Small reference workloads for benchmarks and calibration, as assembly sources.
 * @module
 */
import { SimError } from '../common/errors.ts';

function checkIterations(name: string, iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0x7fffffff) {
    throw new SimError('INVALID_ARGUMENT', `${name}: iterations must be an integer 1…2^31−1, got ${String(iterations)}`);
  }
}

/**
 * A CPU-bound loop with loads, stores, arithmetic and branches and no traps: what direct
 * execution is good at. About 8 instructions per iteration; halts at the end.
 */
export function computeLoop(iterations: number): string {
  checkIterations('computeLoop', iterations);
  return `; compute loop: ${iterations} iterations
start:
    li r1, ${iterations}
    li r2, 0
    li r3, buffer
loop:
    mul r4, r2, r2
    add r5, r5, r4
    st r5, [r3+0]
    ld r6, [r3+0]
    xor r5, r6, r2
    addi r2, r2, 1
    bne r2, r1, loop
    halt
buffer: .word 0
`;
}

/**
 * A trap-heavy loop: a user process makes a system call every few instructions; the kernel's
 * handler reads CAUSE and EPC and returns with `iret`. On bare hardware the traps are cheap;
 * under trap-and-emulate every one of them and every privileged instruction is an exit.
 */
export function syscallLoop(iterations: number): string {
  checkIterations('syscallLoop', iterations);
  return `; system-call loop: ${iterations} iterations
start:
    li r1, handler
    mtcr tvec, r1
    li r1, user
    mtcr epc, r1
    li r1, STATUS_IE          ; user mode, interrupts on, paging off
    mtcr estatus, r1
    li r1, ${iterations}
    iret
handler:
    mfcr r3, cause
    mfcr r4, epc
    addi r9, r9, 1
    bne r9, r1, back
    halt
back:
    iret
user:
    addi r5, r5, 1
    addi r6, r6, 2
    syscall 1
    jmp user
`;
}
