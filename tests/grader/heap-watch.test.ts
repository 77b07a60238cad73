/**
 * The sandbox process's heap watcher: it reports a test that grows the process's memory by half
 * the lab's limit, once, and nothing for a test that allocates little or has already ended.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import type { SessionEvent } from '../../grader/core/protocol.ts';
import { heapWatcher } from '../../grader/node/heap-watch.ts';

const MB = 1024 * 1024;

/** Keeps `mb` megabytes resident (filled, so the pages are really touched). */
const resident = (mb: number): Buffer => Buffer.alloc(mb * MB, 1);

test('a test that grows the process by half the memory limit is reported once, by its index', async () => {
  const reports: SessionEvent[] = [];
  const watch = heapWatcher(16, (event) => reports.push(event));
  watch({ type: 'start', index: 3, timeoutMs: 1000 });
  const kept = [resident(12), resident(12)];
  await sleep(300);
  expect(kept).toHaveLength(2);
  expect(reports).toEqual([{ type: 'filling-heap', index: 3 }]);
  watch({ type: 'result', index: 3, outcome: { verdict: 'memory', message: '', output: '', durationMs: 0 } });
});

test('growth below the threshold, or after the test ended, is not reported', async () => {
  const reports: SessionEvent[] = [];
  const watch = heapWatcher(64, (event) => reports.push(event));
  watch({ type: 'start', index: 0, timeoutMs: 1000 });
  const small = resident(8);
  await sleep(200);
  watch({ type: 'done' });
  const large = resident(48);
  await sleep(200);
  expect(small.length + large.length).toBe(56 * MB);
  expect(reports).toEqual([]);
});
