/**
 * Numeric questions for lesson 2: the arithmetic of a consolidation plan. Hosts are sized by
 * CPU and memory with headroom; power follows the lesson's idle-plus-proportional model,
 * P(u) = P_idle + (P_peak − P_idle) × u, with the same machine model before and after.
 */
import type { NumericGenerator } from '../types.ts';

/** A number for a prompt or explanation: at most two decimals, no trailing zeros. */
function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** Hosts needed when demand and target are percentages of one host. */
export function hostsForCpu(totalDemandPercent: number, targetPercent: number): number {
  // Round away floating-point noise before the ceiling so that 320/80 is 4, never 5.
  return Math.ceil(Number((totalDemandPercent / targetPercent).toFixed(9)));
}

/** Power (W) of one machine at utilization `u` in [0, 1]. */
export function powerAt(idleWatts: number, peakWatts: number, u: number): number {
  return idleWatts + (peakWatts - idleWatts) * u;
}

/** Total demand, as a percentage of one host, of `servers` guests at `util`% each plus overhead. */
export function demandWithOverhead(servers: number, utilPercent: number, overheadPercent: number): number {
  return (servers * utilPercent * (100 + overheadPercent)) / 100;
}

export const generators: Record<string, NumericGenerator> = {
  'consolidation-hosts': (rng) => {
    const servers = rng.int(20, 80);
    const util = rng.int(4, 15);
    const memory = rng.pick([2, 4, 6, 8, 12, 16]);
    const hostMemory = rng.pick([64, 96, 128, 192, 256]);
    const target = rng.pick([60, 65, 70, 75, 80]);
    const cpuDemand = servers * util;
    const memoryDemand = servers * memory;
    const byCpu = hostsForCpu(cpuDemand, target);
    const byMemory = Math.ceil(memoryDemand / hostMemory);
    const answer = Math.max(byCpu, byMemory);
    const binding = byCpu === byMemory ? 'Both constraints give the same number' : byCpu > byMemory ? 'CPU is the binding constraint' : 'Memory is the binding constraint';
    return {
      prompt:
        `You consolidate ${servers} servers. Each averages ${util}% of one host's CPU and needs ${memory} GB of memory. ` +
        `Each host has ${hostMemory} GB of memory and may be at most ${target}% busy. Ignore the virtualization overhead. ` +
        `How many hosts do you need?`,
      answer,
      tolerance: 0,
      unit: 'hosts',
      explanation:
        `CPU: ${servers} × ${util}% = ${cpuDemand}% of one host; ⌈${cpuDemand} / ${target}⌉ = ${byCpu} hosts. ` +
        `Memory: ${servers} × ${memory} GB = ${memoryDemand} GB; ⌈${memoryDemand} / ${hostMemory}⌉ = ${byMemory} hosts. ` +
        `${binding}: you need ${answer} hosts.`,
    };
  },

  'consolidation-utilization': (rng) => {
    const servers = rng.int(10, 40);
    const util = rng.int(3, 12);
    const overhead = rng.pick([2, 3, 5, 8, 10]);
    const target = rng.pick([60, 70, 75, 80]);
    const demand = demandWithOverhead(servers, util, overhead);
    const hosts = hostsForCpu(demand, target);
    const answer = Number((demand / hosts).toFixed(1));
    return {
      prompt:
        `${servers} servers each average ${util}% CPU utilization on their own machines. You consolidate them, spread ` +
        `evenly, onto ${hosts} hosts as fast as the old machines. The virtualization layer adds ${overhead}% to each ` +
        `guest's CPU demand. What is the average CPU utilization of each host after consolidation?`,
      answer,
      tolerance: 0.5,
      unit: '%',
      explanation:
        `Before, the average is ${util}%. After: total demand ${servers} × ${util}% × ${formatNumber(1 + overhead / 100)} = ` +
        `${formatNumber(demand)}% of one host, shared by ${hosts} hosts: ${formatNumber(demand)} / ${hosts} ≈ ${answer}% each.`,
    };
  },

  'consolidation-power-saved': (rng) => {
    const servers = rng.int(8, 40);
    const util = rng.int(4, 12);
    const idle = rng.pick([120, 150, 180, 200]);
    const peak = idle + rng.pick([80, 100, 120, 150]);
    const overhead = rng.pick([2, 3, 5]);
    const target = rng.pick([60, 70, 80]);
    const demand = demandWithOverhead(servers, util, overhead);
    const hosts = hostsForCpu(demand, target);
    const span = peak - idle;
    const before = servers * idle + (span * servers * util) / 100;
    const after = hosts * idle + (span * demand) / 100;
    const answer = Number((before - after).toFixed(1));
    return {
      prompt:
        `${servers} servers each average ${util}% utilization. Every machine (old or new, same model) draws ${idle} W idle ` +
        `and ${peak} W at full load, linearly in between: P(u) = ${idle} + ${span} × u. You consolidate onto ${hosts} hosts; ` +
        `the virtualization layer adds ${overhead}% to the CPU demand. How many watts does consolidation save?`,
      answer,
      // Absolute and tight: the overhead term is small, and a relative tolerance would accept
      // answers that ignore it.
      tolerance: 1,
      unit: 'W',
      explanation:
        `Before: ${servers} × ${idle} W + ${span} W × ${servers} × ${util / 100} = ${formatNumber(before)} W. ` +
        `After: the demand is ${servers} × ${util}% × ${formatNumber(1 + overhead / 100)} = ${formatNumber(demand)}% of one host, so ` +
        `${hosts} × ${idle} W + ${span} W × ${formatNumber(demand / 100)} = ${formatNumber(after)} W. ` +
        `Saved: ${formatNumber(before)} − ${formatNumber(after)} ≈ ${answer} W, most of it the idle power of the ` +
        `${servers - hosts} machines switched off (${servers - hosts} × ${idle} = ${(servers - hosts) * idle} W).`,
    };
  },
};
