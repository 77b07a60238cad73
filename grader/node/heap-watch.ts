/**
 * Watches a sandbox process's memory while a test runs, from the process's own thread: an
 * isolate busy collecting garbage near its heap limit answers no questions (its heap statistics
 * wait for it), but the process's resident size still shows the growth. When a test has grown it
 * by half the lab's memory limit, the watcher reports that once, so a driver that then has to
 * kill the test at its time limit knows it was filling memory, not looping.
 */
import type { SessionEvent } from '../core/protocol.ts';

const SAMPLE_MS = 50;

/** Turns session events into heap watching: call it with every event the session emits. */
export function heapWatcher(memoryMb: number, report: (event: SessionEvent) => void): (event: SessionEvent) => void {
  const threshold = 0.5 * memoryMb * 1024 * 1024;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  return (event) => {
    if (event.type !== 'start') {
      if (event.type === 'result' || event.type === 'done') stop();
      return;
    }
    stop();
    const baseline = process.memoryUsage.rss();
    const { index } = event;
    timer = setInterval(() => {
      if (process.memoryUsage.rss() - baseline < threshold) return;
      stop();
      report({ type: 'filling-heap', index });
    }, SAMPLE_MS);
    timer.unref();
  };
}
