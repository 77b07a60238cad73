/**
 * A VM's guest-physical memory: the map from guest-physical pages to the host frames the
 * hypervisor gave the VM (the "p2m"), per-page write protection, and a record of every host
 * frame the VM has touched (so tests can check resource control).
 * @module
 */
import { SimError } from '../common/errors.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../machine/isa.ts';

/** Guest-physical memory of one VM, backed by host frames. Internal to the simulator. */
export class GuestMemory {
  /** Guest memory size in bytes. */
  readonly size: number;
  /** Guest pages. */
  readonly pages: number;
  /** Host frame of each guest page, or -1 when unmapped. */
  readonly frameOf: Int32Array;
  /** 1 when the guest page may be written through direct execution. */
  readonly writable: Uint8Array;
  /** 1 for every host frame this VM has read or written (by any path). */
  readonly touched: Uint8Array;
  /** Host memory words. */
  readonly hostWords: Int32Array;
  /** Called after a mapping or protection change, to flush TLBs. */
  onChange: () => void = () => {};

  constructor(hostWords: Int32Array, frames: readonly number[]) {
    this.hostWords = hostWords;
    this.pages = frames.length;
    this.size = frames.length * PAGE_SIZE;
    this.frameOf = Int32Array.from(frames);
    this.writable = new Uint8Array(frames.length).fill(1);
    this.touched = new Uint8Array(hostWords.length >>> 10);
  }

  /** Host word index for a guest-physical address, or -1 if unbacked. Marks the frame touched. */
  hostIndex(gpa: number): number {
    const page = gpa >>> PAGE_SHIFT;
    if (gpa < 0 || page >= this.pages) return -1;
    const frame = this.frameOf[page]!;
    if (frame < 0) return -1;
    this.touched[frame] = 1;
    return (frame << 10) + ((gpa & 0xfff) >>> 2);
  }

  /** Reads a guest-physical word (aligned), or undefined when out of range or unmapped. */
  read(gpa: number): number | undefined {
    if ((gpa & 3) !== 0) return undefined;
    const index = this.hostIndex(gpa);
    return index < 0 ? undefined : this.hostWords[index];
  }

  /** Writes a guest-physical word; false when out of range or unmapped. Ignores protection. */
  write(gpa: number, value: number): boolean {
    if ((gpa & 3) !== 0) return false;
    const index = this.hostIndex(gpa);
    if (index < 0) return false;
    this.hostWords[index] = value | 0;
    return true;
  }

  /** Throws a helpful SimError unless `gpa` is an aligned guest-physical word address. */
  check(gpa: number, what: string): void {
    if (!Number.isInteger(gpa) || gpa < 0 || gpa + 4 > this.size || gpa % 4 !== 0) {
      throw new SimError('OUT_OF_RANGE', `${what}: guest-physical address ${gpa} is not an aligned word inside this VM's ${this.size} bytes (0…${this.size - 4})`);
    }
  }

  /** Sets write permission of the guest page containing `gpa`. */
  protect(gpa: number, writable: boolean): void {
    const page = gpa >>> PAGE_SHIFT;
    if (this.writable[page] !== (writable ? 1 : 0)) {
      this.writable[page] = writable ? 1 : 0;
      this.onChange();
    }
  }
}
