/**
 * How a device reaches memory. On bare hardware this is physical memory; inside a virtual
 * machine it is guest-physical memory translated by the hypervisor, so a device can never
 * reach outside its VM's allocation.
 * @module
 */

/** A window onto memory for device DMA. */
export interface DmaPort {
  /** The word at an aligned address, or undefined if the address is not backed. */
  readWord(address: number): number | undefined;
  /** Stores a word; false if the address is not backed (nothing is written). */
  writeWord(address: number, value: number): boolean;
}
