/**
 * The live-migration lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name the quantity and show the values (stale
 * pages of how many, rounds against the limit, downtime against the target, mean sends of hot
 * pages, and the move of an evacuation that broke anti-affinity, with the cluster and the plan).
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/live-migration');

describe('live-migration failure messages', () => {
  const lab = gradedLab(labDir);
  const graded = (name: string) => lab.grade(`mutant:${name}`);

  test('a lost write names the stale pages out of the VM\'s pages, the workload and the policy', { timeout: 300_000 }, async () => {
    const message = messageOf(await graded('resumes-before-final-copy'), 'a web server with a 4 MiB writable working set');
    expect(message).toMatch(/stale pages at the destination when the VM resumed: [1-9]\d* of 4096, expected 0 \(16 MiB VM, workload \{"kind":"hotset","pagesPerSecond":15000,"hotPages":1024\}, link 31\.25 MB\/s with 0\.5 ms latency, policy \{"maxRounds":30,"minPendingPages":50,"maxSentFactor":3,"downtimeTargetMs":210,"rateLimitBytesPerMs":null\}\)/);
  });

  test('a stop rule not kept names the rounds against the limit and why', { timeout: 300_000 }, async () => {
    const message = messageOf(await graded('fixed-rounds'), 'a tiny idle VM');
    expect(message).toContain('copy rounds (copyPages calls): 31, expected at most 2 (the full copy finds nothing dirty: stop at once)');
  });

  test('a write lost at the stop names the scripted writes, when they landed and the stale pages', { timeout: 300_000 }, async () => {
    const message = messageOf(await graded('forgets-writes-at-the-stop'), 'the guest writes a burst just before the stop');
    expect(message).toMatch(/stale pages at the destination when the VM resumed: [1-9]\d* of 2048, expected 0 \(8 MiB VM, workload \{"kind":"hotset","pagesPerSecond":20000,"hotPages":300\}, and the test writes 170 pages \(1500, 1501, 1502, 1503, …\) by the CPUs just before the stop, 3 pages \(2000, 2047, 3\) by DMA just after the stop, link 100 MB\/s/);
  });

  test('a rate limit not kept names the fastest running rate, the limit and what the service kept', { timeout: 300_000 }, async () => {
    const message = messageOf(await graded('ignores-rate-limit'), 'a rate limit of 40 MB/s');
    expect(message).toContain('fastest rate while the VM ran: 125 MB/s, expected at most the rate limit 40 MB/s (the service keeps the other 85 MB/s of the link)');
  });

  test('an evacuation broken midway names the move, the host, the replicas, the cluster and the plan', { timeout: 300_000 }, async () => {
    const message = messageOf(await graded('evacuation-wrong-order'), 'moves a blocking replica first');
    expect(message).toContain('after move 1 (big-0 -> b) replicas of one service share a host: b runs big-1 and big-0 of svc');
    expect(message).toContain('your plan: big-0 -> b, big-1 -> c');
  });
});
