/**
 * Entry of the harness bundle that runs inside an isolated-vm isolate or a `node:vm` context:
 * the simulator plus the runtime, exposing one boot function. The host calls it once, keeps the
 * returned functions, and lockdown removes the boot function from the global object before any
 * learner code runs.
 */
import './event-shim.ts';
import * as sim from '../../src/sim/index.ts';
import { createRuntime, type Runtime } from './runtime.ts';

/** Name of the global boot function the host looks up. */
export const BOOT_GLOBAL = '__virtlabBoot';

(globalThis as unknown as Record<string, () => Runtime>)[BOOT_GLOBAL] = () => createRuntime({ sim });
