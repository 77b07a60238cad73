/**
 * Entry of the browser's test worker (create it as a module worker:
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`).
 * A thin wrapper: the simulator plus {@link startWorkerHost}.
 */
import * as sim from '../../src/sim/index.ts';
import { startWorkerHost, type WorkerScope } from './worker-host.ts';

startWorkerHost(globalThis as unknown as WorkerScope, sim);
