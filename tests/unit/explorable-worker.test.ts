/**
 * The explorables' Web Worker plumbing (src/explorables/worker), with the page and the worker
 * joined by an in-process channel that copies every message with structuredClone, as postMessage
 * does: a snapshot that would not survive the crossing (a class, a function) fails here. The
 * three explorables that run in workers are driven through it and must end where their sessions
 * end when run directly.
 */
import { describe, expect, test } from 'vitest';
import { serveModel, PROGRESS_EVERY_MS, type WorkerPort } from '../../src/explorables/worker/host.ts';
import { ExplorableWorker, type WorkerLike } from '../../src/explorables/worker/client.ts';
import type { SteppedModel } from '../../src/explorables/worker/protocol.ts';
import { ConsolidationSession, consolidationModel, stateOf as consolidationState } from '../../src/explorables/consolidation/session.ts';
import { PreCopySession, preCopyModel, stateOf as preCopyState } from '../../src/explorables/pre-copy/session.ts';
import { NativeRun, nativeRunModel } from '../../src/explorables/where-cycles-go/session.ts';
import { mixById } from '../../src/explorables/where-cycles-go/options.ts';

type Listener = (event: { data: unknown; message?: string }) => void;

/** A worker in this process: messages cross in a later task, copied as postMessage copies them. */
class InProcessWorker implements WorkerLike {
  readonly #pageListeners = new Map<string, Listener[]>();
  readonly #workerListeners: Listener[] = [];
  terminated = false;
  posted = 0;

  constructor(serve: (port: WorkerPort) => void) {
    serve({
      addEventListener: (_type, listener) => void this.#workerListeners.push(listener),
      postMessage: (message) => {
        this.posted++;
        const copy = structuredClone(message);
        setTimeout(() => this.terminated || this.#emit('message', { data: copy }));
      },
    });
  }

  addEventListener(type: string, listener: Listener): void {
    this.#pageListeners.set(type, [...(this.#pageListeners.get(type) ?? []), listener]);
  }
  postMessage(message: unknown): void {
    const copy = structuredClone(message);
    setTimeout(() => this.terminated || this.#workerListeners.forEach((listener) => listener({ data: copy })));
  }
  terminate(): void {
    this.terminated = true;
  }
  /** What the browser does when the worker's script fails. */
  crash(message: string): void {
    this.#emit('error', { data: undefined, message });
  }
  #emit(type: string, event: { data: unknown; message?: string }): void {
    for (const listener of this.#pageListeners.get(type) ?? []) listener(event);
  }
}

/** A counter that finishes at `steps`, with a progress snapshot. */
const counter = (steps: number): SteppedModel<{ from: number }, { at: number }> => ({
  start: ({ from }) => {
    let at = from;
    return { advance: () => ++at >= steps, snapshot: () => ({ at }), progress: () => ({ at }) };
  },
});

/** A clock that moves `stepMs` on every reading. */
const ticking = (stepMs: number) => {
  let now = 0;
  return () => (now += stepMs);
};

describe('the worker host', () => {
  test('answers start, step and run with the snapshot and whether the run is over', async () => {
    const worker = new InProcessWorker((port) => serveModel(port, counter(5)));
    const client = new ExplorableWorker<{ from: number }, { at: number }>(() => worker, { from: 1 });
    expect(await client.started).toEqual({ snapshot: { at: 1 }, finished: false });
    expect(await client.step()).toEqual({ snapshot: { at: 2 }, finished: false });
    expect(await client.run()).toEqual({ snapshot: { at: 5 }, finished: true });
    expect(await client.step(), 'a finished run does not advance').toEqual({ snapshot: { at: 5 }, finished: true });
  });

  test('reports progress every PROGRESS_EVERY_MS of a long run, and not at its last step', async () => {
    const worker = new InProcessWorker((port) => serveModel(port, counter(10), ticking(PROGRESS_EVERY_MS / 2)));
    const client = new ExplorableWorker<{ from: number }, { at: number }>(() => worker, { from: 0 });
    const seen: number[] = [];
    const answer = await client.run(({ at }) => seen.push(at));
    expect(answer?.snapshot).toEqual({ at: 10 });
    // The clock moves half the period per reading, and a step reads it once (twice when it
    // reports): a report after every second step, none after the last.
    expect(seen).toEqual([2, 4, 6, 8]);
  });

  test('a request before start, or a model that throws, is answered with what went wrong', async () => {
    const replies: unknown[] = [];
    let listener: Listener = () => {};
    serveModel({ addEventListener: (_type, l) => void (listener = l), postMessage: (m) => void replies.push(m) }, counter(3));
    listener({ data: { id: 7, kind: 'run' } });
    expect(replies).toEqual([{ id: 7, kind: 'failed', message: '"run" before "start": the page must start a run first' }]);

    const broken: SteppedModel<null, null> = { start: () => ({ advance: () => { throw new Error('the guest halted early'); }, snapshot: () => null }) };
    const worker = new InProcessWorker((port) => serveModel(port, broken));
    const client = new ExplorableWorker<null, null>(() => worker, null);
    await client.started;
    await expect(client.run()).rejects.toThrow('the guest halted early');
  });
});

describe('the page side', () => {
  test('dispose terminates the worker and every awaited answer resolves to null', async () => {
    const worker = new InProcessWorker((port) => serveModel(port, counter(3)));
    const client = new ExplorableWorker<{ from: number }, { at: number }>(() => worker, { from: 0 });
    const running = client.run();
    client.dispose();
    expect(worker.terminated).toBe(true);
    expect(await running).toBeNull();
    expect(await client.step(), 'a disposed-of run answers nothing more').toBeNull();
  });

  test('a worker that fails to load rejects what is awaited, saying so', async () => {
    const worker = new InProcessWorker(() => {});
    const client = new ExplorableWorker<null, null>(() => worker, null);
    worker.crash('Refused to load the script');
    await expect(client.started).rejects.toThrow('its Web Worker failed: Refused to load the script');
    await expect(client.run(), 'a later request is refused at once, not left waiting').rejects.toThrow('Refused to load the script');
  });
});

/** Runs a model through the worker plumbing to the end, and returns the final snapshot. */
async function throughWorker<S, T>(model: SteppedModel<S, T>, settings: S, steps = 0): Promise<T> {
  const client = new ExplorableWorker<S, T>(() => new InProcessWorker((port) => serveModel(port, model)), settings);
  await client.started;
  for (let i = 0; i < steps; i++) await client.step();
  const answer = await client.run();
  expect(answer?.finished).toBe(true);
  return answer!.snapshot;
}

describe('the explorables that run in workers end where their sessions end', () => {
  test('where the cycles go: the native run', async () => {
    const mix = mixById('syscalls');
    const direct = new NativeRun(mix).runToEnd();
    expect(await throughWorker(nativeRunModel, mix.id)).toEqual({ instructions: direct.instructions, native: direct });
  });

  test('pre-copy: every round and the migration record, after two steps by hand', async () => {
    const settings = { seed: 42, memoryMiB: 32, bandwidthMBps: 100, writesPerSecond: 10_000, hotPages: null };
    const direct = new PreCopySession(settings);
    direct.runToEnd();
    const state = await throughWorker(preCopyModel, settings, 2);
    expect(state).toEqual(preCopyState(direct));
    expect(state.record?.downtimeMs).toBeGreaterThan(0);
  });

  test('consolidation: every placement, host week and figure, after three steps by hand', async () => {
    const settings = { seed: 2024, headroom: 0.2, host: 'small' as const };
    const direct = new ConsolidationSession(settings);
    direct.runToEnd();
    const state = await throughWorker(consolidationModel, settings, 3);
    expect(state).toEqual(consolidationState(direct));
    expect(state.after?.machines).toBe(direct.hostIds.length);
  });
});
