/**
 * A network interface with programmed I/O: the guest builds frames byte by byte and reads
 * received frames the same way.
 * @module
 */
import { requireArgument } from '../../common/errors.ts';

/** Largest frame, in bytes. */
export const MAX_FRAME = 1514;

/** A simple NIC on interrupt line 2. */
export class NicDevice {
  #tx: number[] = [];
  #sent: Uint8Array[] = [];
  #rx: Uint8Array[] = [];
  #rxOffset = 0;
  #interruptEnabled = false;

  /** Appends a byte to the frame being built. */
  txByte(value: number): void {
    if (this.#tx.length < MAX_FRAME) this.#tx.push(value & 0xff);
  }

  /** Sends the frame built so far (an empty frame is ignored). */
  txSend(): void {
    if (this.#tx.length > 0) this.#sent.push(Uint8Array.from(this.#tx));
    this.#tx = [];
  }

  /** Length of the oldest received frame, or 0. */
  rxLength(): number {
    return this.#rx[0]?.length ?? 0;
  }

  /** Next byte of the oldest received frame, or -1. */
  rxByte(): number {
    const frame = this.#rx[0];
    if (frame === undefined || this.#rxOffset >= frame.length) return -1;
    return frame[this.#rxOffset++] as number;
  }

  /** Drops the oldest received frame. */
  rxDone(): void {
    if (this.#rx.length > 0) this.#rx.shift();
    this.#rxOffset = 0;
  }

  setInterruptEnabled(enabled: boolean): void {
    this.#interruptEnabled = enabled;
  }

  /** Line 2 stays raised while interrupts are enabled and a frame waits. */
  get line(): boolean {
    return this.#interruptEnabled && this.#rx.length > 0;
  }

  /** Host side: delivers a frame to the guest. */
  receive(frame: ArrayLike<number>): void {
    requireArgument(frame.length > 0 && frame.length <= MAX_FRAME, `nic.receive: a frame has 1…${MAX_FRAME} bytes, got ${frame.length}`);
    this.#rx.push(Uint8Array.from(frame, (b) => b & 0xff));
  }

  /** Host side: copies of the frames the guest has sent. */
  get sent(): readonly Uint8Array[] {
    return Object.freeze(this.#sent.map((f) => f.slice()));
  }
}
