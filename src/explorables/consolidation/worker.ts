/** The worker of lesson 2's consolidation explorable: places the fleet off the page's thread. */
import { serveModel, type WorkerPort } from '../worker/host.ts';
import { consolidationModel } from './session.ts';

serveModel(globalThis as unknown as WorkerPort, consolidationModel);
