/**
 * Type checking arrives after the editor: the TypeScript service and its worker (the largest
 * download of a lab page) load once the editor has been painted and the page is idle, and the
 * status line says when type checking is ready. Until then a run lists no type errors instead of waiting for the worker; the
 * editor marks them as soon as it is ready.
 */
import type { EditorSession } from './editor-session.ts';
import type { StatusLine } from './status.ts';
import type { GetTypeScriptWorker, TypeScriptWorkerSource } from './type-errors.ts';

export type TypeCheckState = 'loading' | 'ready' | 'failed';

export interface TypeCheckingOptions {
  /** Gets `data-type-check` set to the state (the e2e tests wait for "ready"). */
  root: HTMLElement;
  session: EditorSession;
  status: StatusLine;
  /** Starts the TypeScript service; gives Monaco's getTypeScriptWorker. */
  load(): Promise<TypeScriptWorkerSource>;
}

export function mountTypeChecking({ root, session, status, load }: TypeCheckingOptions): GetTypeScriptWorker {
  let getTypeScriptWorker: TypeScriptWorkerSource | undefined;
  const enter = (state: TypeCheckState, note: string) => {
    root.dataset['typeCheck'] = state;
    status.note(note, { untilNextMessage: state === 'ready' });
  };
  enter('loading', 'Type checking: loading…');
  afterFirstPaint(async () => {
    try {
      const loaded = await load();
      // Ready means answered: the first file's diagnostics need the worker and its libraries loaded.
      const uri = session.model(session.firstEditable).uri;
      const worker = await (await loaded())(uri);
      await worker.getSemanticDiagnostics(uri.toString());
      getTypeScriptWorker = loaded;
      enter('ready', 'Type checking: ready.');
    } catch {
      enter('failed', 'Type checking could not start (the tests still run); reload the page to try again.');
    }
  });
  return () => getTypeScriptWorker?.() ?? null;
}

/** Calls `callback` after the next paint, once the page is idle (at most a second later). */
function afterFirstPaint(callback: () => void): void {
  // The second animation frame comes after the first one's paint.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if ('requestIdleCallback' in window) requestIdleCallback(callback, { timeout: 1000 });
      else setTimeout(callback, 0);
    }),
  );
}
