/**
 * The worker side of an explorable: holds one run at a time and answers the page's requests
 * (protocol.ts). Run to the end steps the run until it is over, posting a progress snapshot every
 * PROGRESS_EVERY_MS when the run offers one; postMessage delivers while the loop goes on.
 */
import type { SteppedModel, SteppedRun, WorkerReply, WorkerRequest } from './protocol.ts';

/** A session that places, copies or runs one step at a time, as the explorables' sessions do. */
export interface StepwiseSession {
  step(): unknown;
  readonly finished: boolean;
}

/** A model whose run is a new session stepped until finished, each snapshot its plain state. */
export function modelOfSessions<Settings, Session extends StepwiseSession, Snapshot>(create: (settings: Settings) => Session, stateOf: (session: Session) => Snapshot): SteppedModel<Settings, Snapshot> {
  return {
    start(settings) {
      const session = create(settings);
      return {
        advance: () => {
          session.step();
          return session.finished;
        },
        snapshot: () => stateOf(session),
      };
    },
  };
}

/** How often a long run tells the page how far it got. */
export const PROGRESS_EVERY_MS = 100;

/** The parts of a worker's global scope the host uses (a fake one in unit tests). */
export interface WorkerPort {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function serveModel<Settings, Snapshot>(port: WorkerPort, model: SteppedModel<Settings, Snapshot>, now: () => number = () => performance.now()): void {
  let run: SteppedRun<Snapshot> | null = null;
  let finished = false;
  const reply = (message: WorkerReply<Snapshot>) => port.postMessage(message);

  const runToEnd = (active: SteppedRun<Snapshot>, id: number) => {
    let lastReport = now();
    while (!finished) {
      finished = active.advance();
      if (!active.progress || finished || now() - lastReport < PROGRESS_EVERY_MS) continue;
      reply({ id, kind: 'progress', snapshot: active.progress() });
      lastReport = now();
    }
  };

  port.addEventListener('message', ({ data }) => {
    const request = data as WorkerRequest<Settings>;
    try {
      if (request.kind === 'start') {
        run = model.start(request.settings);
        finished = false;
      } else if (!run) {
        throw new Error(`"${request.kind}" before "start": the page must start a run first`);
      } else if (request.kind === 'step') {
        if (!finished) finished = run.advance();
      } else {
        runToEnd(run, request.id);
      }
      reply({ id: request.id, kind: 'done', snapshot: run.snapshot(), finished });
    } catch (error) {
      reply({ id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
