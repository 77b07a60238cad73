/**
 * One run through the kernel, cluster and scheduling simulators, summarized as JSON. The
 * portability test runs it in Node and, bundled, in a bare V8 isolate with only ECMAScript
 * built-ins, and expects the same text.
 */
import {
  BalloonMemoryHost, Cluster, NAIVE_POLICY, VcpuSchedulingHost, generateServerFleet, installReferenceSite,
  referenceWebWorkload, IsolationKernel,
} from '../../../src/sim/index.ts';
import { firstFitDecreasing, hostsUsed } from '../cluster/reference-ffd.ts';
import { preCopyMigrate } from '../cluster/reference-precopy.ts';
import { createShareBalancer, createStrideScheduler } from '../sched/reference-schedulers.ts';
import { buildJailWorld } from './fixtures.ts';
import { createReferenceJailPolicy } from './reference-jail-policy.ts';

export function portableScenario(): string {
  const escapes = [NAIVE_POLICY, createReferenceJailPolicy()].map((policy) => {
    const world = buildJailWorld(policy);
    world.kernel.exec((sys) => {
      sys.mkdir('/s');
      sys.chroot('/s');
      for (let i = 0; i < 5; i++) sys.chdir('..');
      return sys.readFile('etc/master.passwd');
    }, { context: world.jail.id });
    return world.kernel.breaches(world.jail.id).map((b) => b.reason);
  });
  const kernel = new IsolationKernel();
  installReferenceSite(kernel, '/srv/www', 4);
  const web = kernel.exec(referenceWebWorkload({ requests: 20, seed: 4 }));

  const servers = generateServerFleet({ seed: 4, services: 10 });
  const plan = firstFitDecreasing(servers, { cpuCores: 16, memoryGiB: 128 }, 0.2);
  const cluster = new Cluster({ seed: 4, samples: 1 });
  cluster.addHost({ id: 'a', cpuCores: 8, memoryGiB: 16 });
  cluster.addHost({ id: 'b', cpuCores: 8, memoryGiB: 16 });
  cluster.addLink('a', 'b', { bandwidthMBps: 125, latencyMs: 0.2 });
  cluster.addVm({ id: 'vm', vcpus: 1, memoryGiB: 1, memoryMiB: 64, workload: { kind: 'hotset', pagesPerSecond: 5000, hotPages: 500 } });
  cluster.place('vm', 'a');
  cluster.advance(100);
  const migration = preCopyMigrate(cluster.beginMigration('vm', 'b'));

  const cpus = new VcpuSchedulingHost({ pcpus: 2, seed: 4 });
  cpus.addVcpu({ id: 'x', vm: 'X', weight: 100, demand: { kind: 'random', probability: 0.7 } });
  cpus.addVcpu({ id: 'y', vm: 'Y', weight: 300 });
  cpus.addVcpu({ id: 'z', vm: 'Z', weight: 200, capPercent: 40 });
  cpus.setScheduler(createStrideScheduler());
  cpus.run(1000);
  const memory = new BalloonMemoryHost({ physicalMiB: 1024, seed: 4 });
  memory.addVm({ id: 'p', configuredMiB: 768, workingSet: { kind: 'constant', mib: 600 } });
  memory.addVm({ id: 'q', configuredMiB: 768, workingSet: { kind: 'constant', mib: 50 } });
  memory.setBalancer(createShareBalancer());
  memory.advance(5000);

  return JSON.stringify({
    escapes, webCpuNs: web.cpuNs, webAudit: kernel.audit().length,
    hosts: hostsUsed(plan), migration, sched: cpus.report(), balloon: memory.report(),
  });
}
