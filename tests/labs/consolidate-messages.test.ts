/**
 * The consolidate lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name the quantity and show the values (the
 * host, the hour, the load against the limit and the servers; the replicas; the host counts and
 * the plan; the report's figures against the simulator's; what a refused server needs). And the
 * regression for refusals: a submission that refuses every fleet earns only what needs no plan.
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/consolidate');

describe('consolidate failure messages', () => {
  const lab = gradedLab(labDir);
  const graded = (name: string) => lab.grade(`mutant:${name}`);

  test('a host over capacity names the host, the hour, the resource, load against limit, the headroom and its servers', { timeout: 300_000 }, async () => {
    const result = await graded('ignores-headroom');
    expect(messageOf(result, 'places large servers first: three 6-core'))
      .toContain('hosts over 80% of their CPU or memory (headroom 0.2): host-0 over capacity at hour 0: cpu 10 > 8 cores (headroom 0.2); servers x-0, a-0, b-0');
    // A long list says how many more there are.
    expect(messageOf(result, 'CPU-bound hosts (8 cores)')).toMatch(/host-\d+ over capacity at hour \d+: cpu [\d.]+ > 5\.6 cores \(headroom 0\.3\); servers (svc-\d+-\d+, ){8}and \d+ more/);
  });

  test('a floating-point sum refused at the limit shows the count, the expected count, why, and the plan', { timeout: 300_000 }, async () => {
    const result = await graded('fits-without-tolerance');
    expect(messageOf(result, 'sum lands exactly on the limit')).toContain(
      'hosts switched on: 2, expected 1 (cpu peaks 0.3 + 8.3 + 3.4 at the same hour (sum 12.000000000000002) fit the 12 a host may give; as given); your plan: host-0: p1-0, p2-0; host-1: p0-0',
    );
  });

  test('replicas sharing a host name the host, the service and the replicas', { timeout: 300_000 }, async () => {
    const result = await graded('replicas-together');
    expect(messageOf(result, 'keeps replicas apart, so one host failure')).toContain('replicas of one service sharing a host: host-0 carries 3 replicas of web: web-0, web-1, web-2');
  });

  test('wrong report figures name each figure with the reported and the measured value', { timeout: 300_000 }, async () => {
    const result = await graded('report-counts-empty-hosts');
    const message = messageOf(result, 'figures of given plans match the simulator');
    expect(message).toMatch(/report figures that differ from the simulator by more than 1e-6 × max\(1, \|measured\|\): hostsAfter: reported (\d+), the simulator measured (\d+); hostsSaved: reported \d+, the simulator measured \d+/);
    const [, reported, measured] = /hostsAfter: reported (\d+), the simulator measured (\d+)/.exec(message)!;
    expect(Number(reported)).toBe(Number(measured) + 1);
  });

  test('a refusal that does not come names the server, its peaks, what a host may give, and what happened instead', { timeout: 300_000 }, async () => {
    const dropped = await graded('oversized-dropped');
    expect(messageOf(dropped, 'rejects a server larger than any host')).toContain(
      'planConsolidation must throw SimError CAPACITY_EXCEEDED naming erp-0 (erp-0 peaks at 4 cores and 120 GiB; a host may give 12.8 cores and 102.4 GiB at headroom 0.2), but it returned a plan',
    );
    const plain = await graded('oversized-plain-error');
    expect(messageOf(plain, 'rejects a server whose memory fits a bare host')).toMatch(/naming archive-0 \(archive-0 peaks at 0\.5 cores and 110 GiB; .*\), but it threw Error: .*archive-0/);
  });

  test('refusing everything earns (almost) nothing: each rewarded refusal also needs its legitimate neighbour planned', { timeout: 300_000 }, async () => {
    const result = await graded('always-refuses');
    // Only the report of plans the tests make can pass: it does not call planConsolidation.
    expect(result.tests.filter((t) => t.score > 0).map((t) => t.fullName)).toEqual([
      'report › figures of given plans match the simulator: other power models, empty hosts, one server, a host per server',
    ]);
    expect(result.tests.filter((t) => t.fullName.includes('rejects') && t.verdict === 'passed')).toEqual([]);
  });
});
