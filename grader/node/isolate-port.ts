/**
 * A {@link RuntimePort} backed by an isolated-vm isolate: a separate V8 heap with a memory
 * limit whose global object has only ECMAScript built-ins (and after lockdown, fewer). Learner
 * code gets no `require`, `process`, filesystem or network, and no reference to the host: the
 * host holds references into the isolate, never the other way round.
 */
import type * as IvmModule from 'isolated-vm';
import { SandboxFault, wholeLimitMs, type HeapUse, type RuntimePort } from '../core/session.ts';

type Ivm = typeof IvmModule;

/** Settings of one isolate. */
export interface IsolateOptions {
  memoryMb: number;
  /** The harness bundle (runtime-entry.ts built by bundle.ts). */
  harness: string;
  /** V8 code cache for the harness, to skip recompiling it in every isolate. */
  harnessCache?: Uint8Array;
  /** Time allowed for evaluating the harness and collecting tests (trusted code), in ms. */
  setupTimeoutMs: number;
}

/** The isolate's heap in use (live and not yet collected) and its limit, in bytes; null when it cannot tell. */
function heapUse(isolate: IvmModule.Isolate, memoryMb: number): HeapUse | null {
  if (isolate.isDisposed) return null;
  try {
    const stats = isolate.getHeapStatisticsSync();
    return { usedBytes: stats.used_heap_size + stats.externally_allocated_size, limitBytes: memoryMb * 1024 * 1024 };
  } catch {
    return null;
  }
}

/** Maps an isolated-vm error to a fault (or returns it unchanged when it is not one). */
function toFault(isolate: IvmModule.Isolate, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (isolate.isDisposed || /memory limit|disposed/i.test(message)) return new SandboxFault('memory', message, true);
  if (/execution timed out/i.test(message)) return new SandboxFault('timeout', message, false);
  return error;
}

/** Creates an isolate, evaluates the harness in it and boots the runtime. */
export async function createIsolatePort(ivm: Ivm, options: IsolateOptions): Promise<RuntimePort> {
  const isolate = new ivm.Isolate({ memoryLimit: options.memoryMb });
  let peak = 0;
  const notePeak = (): void => {
    if (isolate.isDisposed) return;
    const stats = isolate.getHeapStatisticsSync();
    peak = Math.max(peak, stats.total_heap_size + stats.externally_allocated_size);
  };
  try {
    const context = await isolate.createContext();
    const script = await isolate.compileScript(options.harness, {
      filename: 'virtlab-harness.js',
      ...(options.harnessCache === undefined ? {} : { cachedData: new ivm.ExternalCopy(options.harnessCache.slice().buffer) }),
    });
    await script.run(context, { timeout: options.setupTimeoutMs });
    const boot = (await context.global.get('__virtlabBoot', { reference: true })) as IvmModule.Reference<() => unknown>;
    const runtime = (await boot.apply(undefined, [], { result: { reference: true }, timeout: options.setupTimeoutMs })) as IvmModule.Reference<Record<string, unknown>>;
    const method = async (name: string): Promise<IvmModule.Reference<(...args: unknown[]) => unknown>> =>
      (await runtime.get(name, { reference: true })) as IvmModule.Reference<(...args: unknown[]) => unknown>;
    const [collect, loadLearner, runTest, interrupted] = await Promise.all([method('collect'), method('loadLearner'), method('runTest'), method('interrupted')]);
    notePeak();

    const call = async (ref: IvmModule.Reference<(...args: unknown[]) => unknown>, args: unknown[], limitMs: number, async: boolean): Promise<string> => {
      const timeoutMs = wholeLimitMs(limitMs);
      try {
        const pending = ref.apply(undefined, args as never[], { timeout: timeoutMs, result: { copy: true, promise: async } }) as Promise<unknown>;
        let timer: NodeJS.Timeout | undefined;
        // isolated-vm's timeout covers running code; a promise that never settles needs a host timer.
        const hostTimer = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new SandboxFault('timeout', 'a promise did not settle in time', false)), timeoutMs + 20);
        });
        try {
          const value = await Promise.race([pending, hostTimer]);
          if (typeof value !== 'string') throw new Error('the runtime answered with something other than JSON text');
          return value;
        } finally {
          clearTimeout(timer);
          notePeak();
        }
      } catch (error) {
        throw toFault(isolate, error);
      }
    };

    return {
      collect: (requestJson) => call(collect, [requestJson], options.setupTimeoutMs, false),
      loadLearner: (timeoutMs) => call(loadLearner, [], timeoutMs, false),
      runTest: (index, timeoutMs) => call(runTest, [index], timeoutMs, true),
      interrupted: () => call(interrupted, [], options.setupTimeoutMs, false),
      peakMemoryBytes: () => peak,
      heapUse: () => heapUse(isolate, options.memoryMb),
      dispose: () => {
        if (!isolate.isDisposed) isolate.dispose();
      },
    };
  } catch (error) {
    if (!isolate.isDisposed) isolate.dispose();
    throw toFault(isolate, error);
  }
}
