/** The worker of lesson 3's pre-copy explorable: migrates the VM off the page's thread. */
import { serveModel, type WorkerPort } from '../worker/host.ts';
import { preCopyModel } from './session.ts';

serveModel(globalThis as unknown as WorkerPort, preCopyModel);
