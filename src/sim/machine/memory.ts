/**
 * Physical memory: a flat array of 32-bit little-endian words.
 *
 * One `Int32Array` backs the whole memory, so a simulated MiB costs one host MiB and the CPU
 * reads instructions and data without allocating. Byte access is defined arithmetically
 * (little-endian whatever the host's byte order), so runs are identical everywhere.
 * @module
 */
import { SimError } from '../common/errors.ts';
import { PAGE_SIZE } from './isa.ts';

/** Largest physical memory the simulator accepts (256 MiB). */
export const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** Checks a memory size given to a constructor and returns it. */
export function checkMemorySize(bytes: number, what: string): number {
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes % PAGE_SIZE !== 0 || bytes > MAX_MEMORY_BYTES) {
    throw new SimError(
      'INVALID_ARGUMENT',
      `${what} must be a positive multiple of ${PAGE_SIZE} bytes (one page) up to ${MAX_MEMORY_BYTES}, got ${bytes}`,
    );
  }
  return bytes;
}

/** Physical memory of a machine (or of the host, under a hypervisor). */
export class PhysicalMemory {
  /** Size in bytes. */
  readonly size: number;
  /** The backing words. Internal: the CPU and devices read it directly. */
  readonly words: Int32Array;

  constructor(bytes: number) {
    this.size = checkMemorySize(bytes, 'memory size');
    this.words = new Int32Array(bytes >>> 2);
  }

  #checkWord(address: number, what: string): void {
    if (!Number.isInteger(address) || address < 0 || address + 4 > this.size || address % 4 !== 0) {
      throw new SimError('OUT_OF_RANGE', `${what}: address ${address} is not an aligned word address inside 0…${this.size - 4}`);
    }
  }

  #checkByte(address: number, what: string): void {
    if (!Number.isInteger(address) || address < 0 || address >= this.size) {
      throw new SimError('OUT_OF_RANGE', `${what}: address ${address} is outside 0…${this.size - 1}`);
    }
  }

  /** The word at an aligned address, as a signed 32-bit number. */
  readWord(address: number): number {
    this.#checkWord(address, 'readWord');
    return this.words[address >>> 2] as number;
  }

  /** Stores a word (any 32-bit value, signed or unsigned) at an aligned address. */
  writeWord(address: number, value: number): void {
    this.#checkWord(address, 'writeWord');
    if (!Number.isFinite(value)) throw new SimError('INVALID_ARGUMENT', `writeWord: value must be a number, got ${value}`);
    this.words[address >>> 2] = value | 0;
  }

  /** The byte at an address (0–255). */
  readByte(address: number): number {
    this.#checkByte(address, 'readByte');
    return ((this.words[address >>> 2] as number) >>> ((address & 3) * 8)) & 0xff;
  }

  /** Stores the low 8 bits of `value` at an address. */
  writeByte(address: number, value: number): void {
    this.#checkByte(address, 'writeByte');
    const shift = (address & 3) * 8;
    const index = address >>> 2;
    this.words[index] = ((this.words[index] as number) & ~(0xff << shift)) | ((value & 0xff) << shift);
  }

  /** Copies words into memory starting at an aligned address. */
  load(words: ArrayLike<number>, address: number): void {
    this.#checkWord(address, 'load');
    if (address + words.length * 4 > this.size) {
      throw new SimError('OUT_OF_RANGE', `load: ${words.length} words at ${address} do not fit in ${this.size} bytes of memory`);
    }
    const base = address >>> 2;
    for (let i = 0; i < words.length; i++) this.words[base + i] = (words[i] as number) | 0;
  }

  /** Reads a NUL-terminated (or `maxBytes`-long) string of bytes as Latin-1 text. */
  readString(address: number, maxBytes = 4096): string {
    let text = '';
    for (let i = 0; i < maxBytes && address + i < this.size; i++) {
      const byte = this.readByte(address + i);
      if (byte === 0) break;
      text += String.fromCharCode(byte);
    }
    return text;
  }
}
