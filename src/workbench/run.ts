/**
 * Running the public tests: from any "Run tests" button or Ctrl/⌘+Enter, one run at a time. The
 * previous results disappear when a run starts; the type errors are those of the code that ran.
 */
import type { GradeResult } from '../../grader/core/types.ts';
import { runPublicTests } from '../../grader/browser/run-public-tests.ts';
import { prepareSpareSandbox } from '../../grader/browser/sandboxed-worker.ts';
import type { openProgress } from '../lib/progress.ts';
import type { EditorSession } from './editor-session.ts';
import type { LabData } from './lab-data.ts';
import { renderResults, renderRunError, renderRunning } from './results.ts';
import type { CodeSaver } from './saving.ts';
import type { Say } from './status.ts';
import { typeErrorsOf, type GetTypeScriptWorker } from './type-errors.ts';
import { renderVisualization } from './visualizations.ts';

export interface RunOptions {
  data: LabData;
  session: EditorSession;
  saver: CodeSaver;
  progress: ReturnType<typeof openProgress>;
  getTypeScriptWorker: GetTypeScriptWorker;
  say: Say;
  /** Told when a run starts (the phone layout shows the results). */
  onStart?: () => void;
}

export function mountRun(root: HTMLElement, options: RunOptions): void {
  const { data, session, saver, progress, say } = options;
  const { manifest } = data;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('[data-run]')];
  const resultsElement = root.querySelector<HTMLElement>('[data-results]')!;
  const visualization = root.querySelector<HTMLElement>('[data-visualization]')!;
  let running = false;

  const setBusy = (busy: boolean) => {
    for (const button of buttons) {
      // aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body>.
      if (busy) {
        button.setAttribute('aria-disabled', 'true');
        button.setAttribute('aria-busy', 'true');
      } else {
        button.removeAttribute('aria-disabled');
        button.removeAttribute('aria-busy');
      }
    }
  };

  const run = async () => {
    if (running) return;
    running = true;
    saver.saveNow();
    setBusy(true);
    renderRunning(resultsElement);
    visualization.replaceChildren();
    options.onStart?.();
    say('Running the public tests…');
    const started = performance.now();
    try {
      const files = session.files();
      const [result, typeErrors]: [GradeResult, Awaited<ReturnType<typeof typeErrorsOf>>] = await Promise.all([
        runPublicTests({ manifest, starter: data.starter, tests: data.tests }, files),
        typeErrorsOf(session, options.getTypeScriptWorker),
      ]);
      renderResults(resultsElement, result, data.hidden, typeErrors);
      void renderVisualization(visualization, manifest.id, result);
      const passing = result.publicMax > 0 && result.publicScore === result.publicMax;
      progress.recordLab(manifest.id, passing ? 'passing' : 'in-progress', result.publicScore, result.publicMax);
      say(`Public tests: ${result.publicScore} of ${result.publicMax} points (${Math.round(performance.now() - started)} ms). Details are under Results.`);
    } catch (error) {
      renderRunError(resultsElement, error);
      say('The tests could not run; see Results.');
    } finally {
      running = false;
      setBusy(false);
      // The next run starts in a sandbox booted meanwhile.
      prepareSpareSandbox();
    }
  };

  for (const button of buttons) button.addEventListener('click', () => void run());
  // The first run too: boot its sandbox once the page has loaded and is idle, not before, so
  // the editor and the type checker get the machine first. Never during a run: a spare booted
  // beside learner code could share its process, and die with it.
  whenIdle(() => {
    if (!running) prepareSpareSandbox();
  });
  const { monaco } = session;
  session.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void run());
  root.ownerDocument.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  });
}

/** Calls `then` when the page has finished loading and the main thread is idle. */
function whenIdle(then: () => void): void {
  const idle = () => requestIdleCallback(then, { timeout: 10_000 });
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}
