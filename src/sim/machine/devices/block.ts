/**
 * A block device with 512-byte sectors and synchronous DMA.
 * @module
 */
import { requireArgument, SimError } from '../../common/errors.ts';
import type { DmaPort } from './dma.ts';

/** Bytes per sector. */
export const SECTOR_SIZE = 512;
const SECTOR_WORDS = SECTOR_SIZE / 4;

/** A disk: the guest sets a sector and a buffer address, then issues a command. */
export class BlockDevice {
  readonly sectors: number;
  #data: Int32Array;
  #sector = 0;
  #address = 0;
  #status = 0;
  #interruptEnabled = false;
  #line = false;
  #reads = 0;
  #writes = 0;

  constructor(sectors: number) {
    if (!Number.isInteger(sectors) || sectors < 0 || sectors > 1 << 16) {
      throw new SimError('INVALID_ARGUMENT', `block device: sectors must be an integer 0…65536, got ${sectors}`);
    }
    this.sectors = sectors;
    this.#data = new Int32Array(sectors * SECTOR_WORDS);
  }

  set sector(value: number) {
    this.#sector = value >>> 0;
  }
  get sector(): number {
    return this.#sector;
  }
  set address(value: number) {
    this.#address = value >>> 0;
  }
  get address(): number {
    return this.#address;
  }
  /** 0 if the last command succeeded, 1 if it failed. */
  get status(): number {
    return this.#status;
  }
  get line(): boolean {
    return this.#line;
  }
  /** Completed read and write commands. */
  get operations(): { readonly reads: number; readonly writes: number } {
    return Object.freeze({ reads: this.#reads, writes: this.#writes });
  }

  setInterruptEnabled(enabled: boolean): void {
    this.#interruptEnabled = enabled;
  }

  acknowledge(): void {
    this.#line = false;
  }

  /** Runs command 1 (read sector into memory) or 2 (write memory to sector). */
  command(code: number, memory: DmaPort): void {
    const ok = (code === 1 || code === 2) && this.#sector < this.sectors && this.#address % 4 === 0;
    this.#status = 1;
    if (ok) {
      const base = this.#sector * SECTOR_WORDS;
      let success = true;
      for (let i = 0; i < SECTOR_WORDS && success; i++) {
        const address = this.#address + i * 4;
        if (code === 1) success = memory.writeWord(address, this.#data[base + i] as number);
        else {
          const word = memory.readWord(address);
          if (word === undefined) success = false;
          else this.#data[base + i] = word;
        }
      }
      if (success) {
        this.#status = 0;
        if (code === 1) this.#reads++;
        else this.#writes++;
      }
    }
    if (this.#interruptEnabled) this.#line = true;
  }

  /** Host side: the bytes of a sector (a copy). */
  readSector(sector: number): Uint8Array {
    this.#checkSector(sector);
    const bytes = new Uint8Array(SECTOR_SIZE);
    for (let i = 0; i < SECTOR_SIZE; i++) bytes[i] = ((this.#data[sector * SECTOR_WORDS + (i >>> 2)] as number) >>> ((i & 3) * 8)) & 0xff;
    return bytes;
  }

  /** Host side: fills a sector (short data is zero-padded). */
  writeSector(sector: number, bytes: ArrayLike<number>): void {
    this.#checkSector(sector);
    requireArgument(bytes.length <= SECTOR_SIZE, `writeSector: at most ${SECTOR_SIZE} bytes per sector, got ${bytes.length}`);
    for (let i = 0; i < SECTOR_WORDS; i++) this.#data[sector * SECTOR_WORDS + i] = 0;
    for (let i = 0; i < bytes.length; i++) {
      const index = sector * SECTOR_WORDS + (i >>> 2);
      this.#data[index] = (this.#data[index] as number) | (((bytes[i] as number) & 0xff) << ((i & 3) * 8));
    }
  }

  #checkSector(sector: number): void {
    if (!Number.isInteger(sector) || sector < 0 || sector >= this.sectors) {
      throw new SimError('OUT_OF_RANGE', `sector ${sector} is outside 0…${this.sectors - 1}`);
    }
  }
}
