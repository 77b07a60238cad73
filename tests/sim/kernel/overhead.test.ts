/**
 * The lecture's claim for OS-level isolation, measured: the reference web workload costs 1–3%
 * more CPU inside a jail (with the reference jail policy) than on the host.
 */
import { describe, expect, it } from 'vitest';
import { IsolationKernel, installReferenceSite, referenceWebWorkload } from '../../../src/sim/index.ts';
import { createReferenceJailPolicy } from './reference-jail-policy.ts';

function measure(seed: number, requests: number) {
  const kernel = new IsolationKernel({
    interfaces: [{ name: 'lo0', addresses: ['127.0.0.1'] }, { name: 'em0', addresses: ['192.0.2.1', '192.0.2.10'] }],
  });
  installReferenceSite(kernel, '/srv/www', seed);
  installReferenceSite(kernel, '/jails/www/srv/www', seed);
  const jail = kernel.createContext({ name: 'www', root: '/jails/www', addresses: ['192.0.2.10'], limits: { maxProcesses: 50 } });
  kernel.setPolicy(createReferenceJailPolicy());
  const workload = referenceWebWorkload({ requests, seed });
  const host = kernel.exec(workload, { name: 'httpd' });
  const jailed = kernel.exec(workload, { name: 'httpd', context: jail.id });
  return { kernel, host, jailed, overhead: jailed.cpuNs / host.cpuNs - 1 };
}

describe('OS-level isolation overhead', () => {
  for (const seed of [1, 2, 3]) {
    it(`lands in the lecture's 1–3% band on the reference workload (seed ${seed})`, () => {
      const { host, jailed, overhead, kernel } = measure(seed, 300);
      expect(host.error).toBeNull();
      expect(jailed.error).toBeNull();
      expect(host.value).toBe(300);
      expect(jailed.value).toBe(300);
      expect(overhead).toBeGreaterThanOrEqual(0.01);
      expect(overhead).toBeLessThanOrEqual(0.03);
      // The jailed server really served from its own tree, on its own address.
      expect(kernel.breaches(1)).toEqual([]);
      expect(kernel.audit().some((e) => e.kind === 'bind' && e.context === 1 && e.address === '192.0.2.10')).toBe(true);
    });
  }

  it('comes only from policy consultations: with free checks the jail costs what the host does', () => {
    const kernel = new IsolationKernel({
      interfaces: [{ name: 'lo0', addresses: ['127.0.0.1'] }, { name: 'em0', addresses: ['192.0.2.1', '192.0.2.10'] }],
      costs: { policyCheckNs: 0 },
    });
    installReferenceSite(kernel, '/srv/www', 9);
    installReferenceSite(kernel, '/jails/www/srv/www', 9);
    const jail = kernel.createContext({ name: 'www', root: '/jails/www', addresses: ['192.0.2.10'] });
    kernel.setPolicy(createReferenceJailPolicy());
    const workload = referenceWebWorkload({ requests: 50, seed: 9 });
    const host = kernel.exec(workload);
    const jailed = kernel.exec(workload, { context: jail.id });
    expect(jailed.cpuNs).toBe(host.cpuNs);
  });
});

describe('determinism', () => {
  it('gives the same audit log, clock and results for the same seed, and different ones for another seed', () => {
    const first = measure(7, 40);
    const second = measure(7, 40);
    expect(second.kernel.clockNs).toBe(first.kernel.clockNs);
    expect(second.kernel.audit()).toEqual(first.kernel.audit());
    expect(second.jailed.cpuNs).toBe(first.jailed.cpuNs);
    const other = measure(8, 40);
    expect(other.kernel.clockNs).not.toBe(first.kernel.clockNs);
  });
});

describe('density', () => {
  it('runs hundreds of jails on one kernel, each served from its own tree on its own address', () => {
    const jails = 200;
    const addresses = Array.from({ length: jails }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const kernel = new IsolationKernel({
      interfaces: [{ name: 'lo0', addresses: ['127.0.0.1'] }, { name: 'em0', addresses }],
      maxProcesses: 2 * jails,
    });
    kernel.setPolicy(createReferenceJailPolicy());
    const contexts = addresses.map((address, i) => {
      installReferenceSite(kernel, `/jails/j${i}/srv/www`, i);
      return kernel.createContext({ name: `j${i}`, root: `/jails/j${i}`, addresses: [address], limits: { maxProcesses: 4 } });
    });
    // Every jail's web server stays resident with its listener bound, all on port 80.
    for (const context of contexts) {
      const server = kernel.spawn({ name: 'httpd', context: context.id });
      const fd = server.sys.socket();
      expect(fd.ok && server.sys.bind(fd.value, '0.0.0.0', 80).ok).toBe(true);
      const served = kernel.exec(referenceWebWorkload({ requests: 3, seed: context.id, port: 8080 }), { context: context.id });
      expect(served.value).toBe(3);
    }
    const listeners = kernel.sockets().filter((s) => s.localPort === 80);
    expect(new Set(listeners.map((s) => s.localAddress)).size).toBe(jails);
    for (const context of contexts) expect(kernel.breaches(context.id)).toEqual([]);
  });
});
