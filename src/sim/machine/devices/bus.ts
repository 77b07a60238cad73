/**
 * The I/O bus: decodes port numbers to the standard devices and reports interrupt lines.
 * A bare machine has one; every virtual machine has its own, so a guest's I/O can only reach
 * its own devices.
 * @module
 */
import { Port } from '../isa.ts';
import { BlockDevice } from './block.ts';
import { ConsoleDevice } from './console.ts';
import type { DmaPort } from './dma.ts';
import { NicDevice } from './nic.ts';
import { TimerDevice } from './timer.ts';

/** Options for the standard device set. */
export interface DeviceOptions {
  /** Sectors on the block device (default 64). */
  blockSectors?: number;
}

/** The standard devices of a machine and the port decoder in front of them. */
export class IoBus {
  readonly console = new ConsoleDevice();
  readonly timer = new TimerDevice();
  readonly block: BlockDevice;
  readonly nic = new NicDevice();
  #dma: DmaPort;
  #now: () => number;
  #poweredOff = false;
  #exitCode = 0;

  /**
   * @param dma how the block device reaches memory
   * @param now the current time in ticks, for the timer
   */
  constructor(dma: DmaPort, now: () => number, options: DeviceOptions = {}) {
    this.block = new BlockDevice(options.blockSectors ?? 64);
    this.#dma = dma;
    this.#now = now;
  }

  /** True once the guest wrote to the power-off port. */
  get poweredOff(): boolean {
    return this.#poweredOff;
  }

  /** The value written to the power-off port. */
  get exitCode(): number {
    return this.#exitCode;
  }

  /** Bit n set when interrupt line n is raised. */
  lines(): number {
    return (this.timer.line ? 1 : 0) | (this.block.line ? 2 : 0) | (this.nic.line ? 4 : 0);
  }

  /** Executes `in port`. Unknown ports read as -1 (nothing answers). */
  read(port: number): number {
    switch (port) {
      case Port.CONSOLE_STATUS:
        return 1;
      case Port.CONSOLE_INPUT:
        return this.console.take();
      case Port.TIMER_PERIOD:
        return this.timer.period;
      case Port.TIMER_NOW:
        return this.#now() | 0;
      case Port.BLOCK_SECTOR:
        return this.block.sector;
      case Port.BLOCK_ADDRESS:
        return this.block.address | 0;
      case Port.BLOCK_STATUS:
        return this.block.status;
      case Port.NIC_RX_LENGTH:
        return this.nic.rxLength();
      case Port.NIC_RX_DATA:
        return this.nic.rxByte();
      default:
        return -1;
    }
  }

  /** Executes `out port, value`. Writes to unknown ports are ignored. */
  write(port: number, value: number): void {
    switch (port) {
      case Port.POWER_OFF:
        this.#poweredOff = true;
        this.#exitCode = value | 0;
        break;
      case Port.CONSOLE_DATA:
        this.console.put(value);
        break;
      case Port.TIMER_PERIOD:
        this.timer.setPeriod(value >>> 0, this.#now());
        break;
      case Port.TIMER_ACK:
        this.timer.acknowledge();
        break;
      case Port.BLOCK_SECTOR:
        this.block.sector = value;
        break;
      case Port.BLOCK_ADDRESS:
        this.block.address = value;
        break;
      case Port.BLOCK_COMMAND:
        this.block.command(value, this.#dma);
        break;
      case Port.BLOCK_INTERRUPT_ENABLE:
        this.block.setInterruptEnabled(value !== 0);
        break;
      case Port.BLOCK_ACK:
        this.block.acknowledge();
        break;
      case Port.NIC_TX_DATA:
        this.nic.txByte(value);
        break;
      case Port.NIC_TX_SEND:
        this.nic.txSend();
        break;
      case Port.NIC_RX_DONE:
        this.nic.rxDone();
        break;
      case Port.NIC_INTERRUPT_ENABLE:
        this.nic.setInterruptEnabled(value !== 0);
        break;
      default:
        break;
    }
  }
}
