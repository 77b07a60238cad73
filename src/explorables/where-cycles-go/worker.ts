/** The worker of lesson 1's "where the cycles go" explorable: runs the native kernel off the page's thread. */
import { serveModel, type WorkerPort } from '../worker/host.ts';
import { nativeRunModel } from './session.ts';

serveModel(globalThis as unknown as WorkerPort, nativeRunModel);
