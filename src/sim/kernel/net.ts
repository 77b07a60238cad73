/**
 * The kernel's network: interfaces with IPv4 addresses and TCP-like sockets on this one host.
 *
 * Enough to teach network isolation: which address a socket is really bound to (a wildcard bind
 * takes every address of the host, which is what a jail must prevent), port conflicts between
 * contexts, and connections between local sockets.
 */
import { fail } from './errno.ts';

/** The wildcard address: bind on every address of the host. */
export const WILDCARD_ADDRESS = '0.0.0.0';

/** First port handed out to implicit binds (the IANA dynamic range). */
export const EPHEMERAL_PORT_START = 49152;

/** A network interface and its addresses. */
export interface KernelInterfaceSpec {
  readonly name: string;
  readonly addresses: readonly string[];
}

/** One socket inside the kernel. */
export interface NetSocket {
  readonly id: number;
  readonly ownerPid: number;
  readonly ctx: number;
  state: 'unbound' | 'bound' | 'listening' | 'connected' | 'closed';
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  /** Connections waiting for accept (listening sockets only). */
  readonly pending: NetSocket[];
  /** Descriptors referring to this socket; it closes when the last one does. */
  refs: number;
  /** Made by accept: shares the listener's port without owning it. */
  accepted: boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  const match = IPV4.exec(text);
  return match !== null && match.slice(1).every((part) => Number(part) <= 255);
}

export class NetStack {
  readonly interfaces: readonly KernelInterfaceSpec[];
  readonly #sockets = new Map<number, NetSocket>();
  #nextSocket = 1;
  #nextEphemeral = EPHEMERAL_PORT_START;

  constructor(interfaces: readonly KernelInterfaceSpec[]) {
    this.interfaces = interfaces;
  }

  /** Every address configured on an interface. */
  get addresses(): string[] {
    return this.interfaces.flatMap((i) => [...i.addresses]);
  }

  isLocal(address: string): boolean {
    return this.interfaces.some((i) => i.addresses.includes(address));
  }

  get sockets(): readonly NetSocket[] {
    return [...this.#sockets.values()];
  }

  create(ownerPid: number, ctx: number): NetSocket {
    const socket: NetSocket = {
      id: this.#nextSocket++, ownerPid, ctx, state: 'unbound', localAddress: null, localPort: null,
      remoteAddress: null, remotePort: null, pending: [], refs: 1, accepted: false,
    };
    this.#sockets.set(socket.id, socket);
    return socket;
  }

  /** Binds `socket` to `address:port` (port 0: an ephemeral port). Fails with EADDRNOTAVAIL or EADDRINUSE. */
  bind(socket: NetSocket, address: string, port: number): void {
    if (socket.state !== 'unbound') fail('EINVAL');
    if (address !== WILDCARD_ADDRESS && !this.isLocal(address)) fail('EADDRNOTAVAIL');
    const chosen = port === 0 ? this.#ephemeralPort(address) : port;
    if (this.#inUse(address, chosen)) fail('EADDRINUSE');
    socket.localAddress = address;
    socket.localPort = chosen;
    socket.state = 'bound';
  }

  listen(socket: NetSocket): void {
    if (socket.state !== 'bound') fail('EINVAL');
    socket.state = 'listening';
  }

  /** Connects a bound socket to a local listener. Fails with ECONNREFUSED or ENETUNREACH. */
  connect(socket: NetSocket, address: string, port: number): void {
    if (socket.state === 'connected') fail('EISCONN');
    if (socket.state !== 'bound') fail('EINVAL');
    if (!this.isLocal(address)) fail('ENETUNREACH');
    const listener = this.#listenerFor(address, port);
    if (listener === undefined) fail('ECONNREFUSED');
    socket.remoteAddress = address;
    socket.remotePort = port;
    socket.state = 'connected';
    listener.pending.push(socket);
  }

  /** Takes the next pending connection of a listener, as a new connected socket owned by `ownerPid`. */
  accept(listener: NetSocket, ownerPid: number, ctx: number): NetSocket | null {
    if (listener.state !== 'listening') fail('EINVAL');
    const client = listener.pending.shift();
    if (client === undefined) return null;
    const server = this.create(ownerPid, ctx);
    server.state = 'connected';
    server.accepted = true;
    server.localAddress = client.remoteAddress;
    server.localPort = listener.localPort;
    server.remoteAddress = client.localAddress;
    server.remotePort = client.localPort;
    return server;
  }

  release(socket: NetSocket): void {
    socket.refs -= 1;
    if (socket.refs > 0) return;
    socket.state = 'closed';
    socket.pending.length = 0;
    this.#sockets.delete(socket.id);
  }

  #inUse(address: string, port: number): boolean {
    for (const s of this.#sockets.values()) {
      if (s.localPort !== port || s.localAddress === null || s.state === 'closed') continue;
      if (s.accepted) continue; // an accepted connection shares its listener's port
      if (s.localAddress === address || s.localAddress === WILDCARD_ADDRESS || address === WILDCARD_ADDRESS) return true;
    }
    return false;
  }

  #listenerFor(address: string, port: number): NetSocket | undefined {
    let wildcard: NetSocket | undefined;
    for (const s of this.#sockets.values()) {
      if (s.state !== 'listening' || s.localPort !== port) continue;
      if (s.localAddress === address) return s;
      if (s.localAddress === WILDCARD_ADDRESS) wildcard = s;
    }
    return wildcard;
  }

  #ephemeralPort(address: string): number {
    for (let tries = 0; tries < 16384; tries++) {
      const port = this.#nextEphemeral;
      this.#nextEphemeral = port >= 65535 ? EPHEMERAL_PORT_START : port + 1;
      if (!this.#inUse(address, port)) return port;
    }
    return fail('EADDRINUSE');
  }
}
