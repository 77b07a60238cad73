/**
 * The bare machine: the VL32 instruction set, assembler and disassembler, memory, paging,
 * devices, the cost model and the {@link Machine} that runs a guest kernel natively.
 * @module
 */
export {
  Op,
  Cause,
  ControlRegister,
  CONTROL_REGISTER_NAMES,
  CONTROL_REGISTER_COUNT,
  Status,
  Irq,
  INTERRUPT_CAUSE_BASE,
  Port,
  Pte,
  PAGE_SIZE,
  PAGE_SHIFT,
  INSTRUCTIONS,
  CPU_CONFIGS,
  causeName,
  decode,
  encode,
  instructionByMnemonic,
  instructionByOpcode,
  isVirtualizable,
} from './isa.ts';
export type { CpuConfig, OperandForm, Sensitivity, InstructionSpec, DecodedInstruction, InstructionFields, ControlRegisterName } from './isa.ts';
export { assemble, AssemblyError } from './assembler.ts';
export type { Program, AssembleOptions } from './assembler.ts';
export { disassemble, disassembleWord } from './disassembler.ts';
export { PhysicalMemory, MAX_MEMORY_BYTES } from './memory.ts';
export { TLB_ENTRIES } from './mmu.ts';
export { DEFAULT_COSTS } from './costs.ts';
export type { CostModel } from './costs.ts';
export { Machine, DEFAULT_MAX_INSTRUCTIONS, DEFAULT_MAX_CYCLES } from './machine.ts';
export type { MachineOptions, RunBudget, RunOutcome, RunResult, CpuSnapshot, MachineStats } from './machine.ts';
export { IoBus } from './devices/bus.ts';
export type { DeviceOptions } from './devices/bus.ts';
export { ConsoleDevice } from './devices/console.ts';
export { TimerDevice } from './devices/timer.ts';
export { BlockDevice, SECTOR_SIZE } from './devices/block.ts';
export { NicDevice, MAX_FRAME } from './devices/nic.ts';
