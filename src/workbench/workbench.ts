/**
 * The lab workbench in the browser: Monaco with the lab's files as tabs, autosave, run the public
 * tests in a worker, results, reset/undo, submission download and import, and the resizable panes.
 */
import type { LabManifest } from '../../grader/core/lab-format.ts';
import type { GradeResult } from '../../grader/core/types.ts';
import { downloadText } from '../lib/download.ts';
import { browserStorage, openProgress } from '../lib/progress.ts';
import { CodeStore, type LabFiles } from './autosave.ts';
import { renderResults, renderRunError } from './results.ts';
import { createSubmission, readSubmission, submissionFileName } from './submission.ts';
import { runPublicTests } from '../../grader/browser/run-public-tests.ts';
import { renderVisualization } from './visualizations.ts';

interface LabData {
  manifest: LabManifest;
  starter: LabFiles;
  /** Public test files by name inside tests/ (public.ts and its helpers). */
  tests: Record<string, string>;
  hidden: { count: number; points: number };
  types: { sim: string; test: string };
}

const SAVE_DELAY_MS = 300;

export async function mountWorkbench(doc: Document): Promise<void> {
  const root = doc.querySelector<HTMLElement>('[data-workbench]');
  const dataElement = doc.getElementById('lab-data');
  if (!root || !dataElement) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as LabData;
  const { manifest } = data;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const say = (text: string) => (status.textContent = text);

  const codeStore = new CodeStore(browserStorage());
  const progress = openProgress();
  const loaded = codeStore.load(manifest.id, manifest.version, data.starter);

  const { monaco, typescriptDefaults } = await import('./monaco.ts');
  typescriptDefaults.setExtraLibs([
    { content: data.types.sim, filePath: 'file:///node_modules/@virtlab/sim/index.d.ts' },
    { content: data.types.test, filePath: 'file:///node_modules/@virtlab/test/index.d.ts' },
    { content: CONSOLE_TYPES, filePath: 'file:///virtlab-globals.d.ts' },
  ]);

  const editable = new Set(manifest.files.filter((file) => file.editable).map((file) => file.path));
  const models = new Map<string, import('monaco-editor/editor').editor.ITextModel>();
  for (const file of manifest.files) {
    models.set(file.path, monaco.editor.createModel(loaded.files[file.path] ?? '', 'typescript', monaco.Uri.parse(`file:///starter/${file.path}`)));
  }
  for (const [name, text] of Object.entries(data.tests)) models.set(`tests/${name}`, monaco.editor.createModel(text, 'typescript', monaco.Uri.parse(`file:///tests/${name}`)));

  const dark = () => doc.documentElement.dataset['theme'] === 'dark' || (doc.documentElement.dataset['theme'] !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  const editorElement = root.querySelector<HTMLElement>('[data-editor]')!;
  const editor = monaco.editor.create(editorElement, {
    model: models.get(manifest.files.find((file) => file.editable)!.path)!,
    theme: dark() ? 'virtlab-dark' : 'vs',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    scrollBeyondLastLine: false,
    ariaLabel: `${manifest.title}: code editor. Press ${/Mac|iPhone|iPad/.test(navigator.platform) ? 'Ctrl+Shift+M' : 'Ctrl+M'} to make Tab move focus out of the editor.`,
    accessibilitySupport: 'auto',
    tabSize: 2,
  });
  new MutationObserver(() => monaco.editor.setTheme(dark() ? 'virtlab-dark' : 'vs')).observe(doc.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => monaco.editor.setTheme(dark() ? 'virtlab-dark' : 'vs'));

  // Tabs: the lab's files, then the public test files (read-only).
  const tabs = root.querySelector<HTMLElement>('[data-tabs]')!;
  const tabButtons = new Map<string, HTMLButtonElement>();
  const selectTab = (path: string, focus = false) => {
    editor.setModel(models.get(path)!);
    editor.updateOptions({ readOnly: !editable.has(path), readOnlyMessage: { value: `${path} is read-only in this lab.` } });
    for (const [other, button] of tabButtons) {
      const selected = other === path;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    }
  };
  for (const path of [...manifest.files.map((file) => file.path), ...Object.keys(data.tests).map((name) => `tests/${name}`)]) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'tab');
    button.dataset['path'] = path;
    button.textContent = editable.has(path) ? path : `${path} (read-only)`;
    button.addEventListener('click', () => selectTab(path));
    tabs.append(button);
    tabButtons.set(path, button);
  }
  tabs.addEventListener('keydown', (event) => {
    const paths = [...tabButtons.keys()];
    const current = paths.findIndex((path) => tabButtons.get(path)!.getAttribute('aria-selected') === 'true');
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    selectTab(paths[(current + step + paths.length) % paths.length]!, true);
  });
  selectTab(manifest.files.find((file) => file.editable)!.path);

  // Autosave: every edit, debounced, and at once when the page is hidden or closed.
  const currentFiles = (): LabFiles => Object.fromEntries(manifest.files.map((file) => [file.path, models.get(file.path)!.getValue()]));
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!codeStore.save(manifest.id, manifest.version, currentFiles())) say(codeStore.problems.at(-1) ?? 'Your code could not be saved.');
  };
  const undoButton = root.querySelector<HTMLButtonElement>('[data-undo-reset]')!;
  undoButton.hidden = !loaded.canUndoReset;
  let applying = false; // true while the page itself replaces the editor's text
  let labRecorded = progress.lab(manifest.id) !== undefined;
  for (const path of editable) {
    models.get(path)!.onDidChangeContent(() => {
      if (applying) return;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
      // The learner's own edit: undoing the last reset would now throw it away, so it is gone.
      undoButton.hidden = true;
      if (!labRecorded) {
        progress.recordLab(manifest.id, 'in-progress');
        labRecorded = true;
      }
    });
  }
  addEventListener('pagehide', () => saveTimer !== undefined && saveNow());
  doc.addEventListener('visibilitychange', () => doc.visibilityState === 'hidden' && saveTimer !== undefined && saveNow());

  /** Shows `files` in the editor without counting it as the learner's edit. */
  const showFiles = (files: LabFiles) => {
    applying = true;
    try {
      for (const [path, text] of Object.entries(files)) if (editable.has(path)) models.get(path)!.setValue(text);
    } finally {
      applying = false;
    }
  };
  /** Replaces the learner's code (reset, import, older version) and keeps what it replaced for Undo. */
  const replaceFiles = (files: LabFiles) => {
    const replaced = currentFiles();
    clearTimeout(saveTimer);
    saveTimer = undefined;
    showFiles(files);
    codeStore.reset(manifest.id, manifest.version, currentFiles(), replaced);
    undoButton.hidden = false;
  };

  // Code from an older version of the lab is offered, never dropped.
  const olderBox = root.querySelector<HTMLElement>('[data-older]')!;
  if (loaded.older) {
    const older = loaded.older;
    olderBox.hidden = false;
    root.querySelector('[data-older-text]')!.textContent =
      `This lab changed (now version ${manifest.version}). You have code from version ${older.version}, saved ${older.savedAt.slice(0, 16).replace('T', ' ')}. It is kept either way.`;
    root.querySelector('[data-older-load]')!.addEventListener('click', () => {
      replaceFiles({ ...currentFiles(), ...older.files });
      olderBox.hidden = true;
      say(`Loaded your code from version ${older.version}. “Undo” brings back what you had; the starter is one Reset away.`);
    });
    root.querySelector('[data-older-dismiss]')!.addEventListener('click', () => (olderBox.hidden = true));
  }
  for (const problem of codeStore.problems) say(problem);

  // Reset to the starter, with an undo that survives a reload (until the learner edits again).
  root.querySelector('[data-reset]')!.addEventListener('click', () => {
    replaceFiles(data.starter);
    say('Reset to the starter code. “Undo reset” brings your code back.');
  });
  undoButton.addEventListener('click', () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    const restored = codeStore.undoReset(manifest.id, manifest.version);
    undoButton.hidden = true;
    if (!restored) return;
    showFiles(restored);
    say('Your code is back.');
  });

  // Run the public tests in a worker.
  const runButton = root.querySelector<HTMLButtonElement>('[data-run]')!;
  const resultsElement = root.querySelector<HTMLElement>('[data-results]')!;
  const visualization = root.querySelector<HTMLElement>('[data-visualization]')!;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    saveNow();
    // aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body>.
    runButton.setAttribute('aria-disabled', 'true');
    runButton.setAttribute('aria-busy', 'true');
    say('Running the public tests…');
    const started = performance.now();
    try {
      const result: GradeResult = await runPublicTests({ manifest, starter: data.starter, tests: data.tests }, currentFiles());
      const typeErrors = [...editable].flatMap((path) =>
        monaco.editor
          .getModelMarkers({ resource: models.get(path)!.uri })
          .filter((marker) => marker.severity === monaco.MarkerSeverity.Error)
          .map((marker) => ({ file: path, line: marker.startLineNumber, column: marker.startColumn, message: marker.message })),
      );
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
      runButton.removeAttribute('aria-disabled');
      runButton.removeAttribute('aria-busy');
    }
  };
  runButton.addEventListener('click', () => void run());
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void run());
  doc.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  });

  // Download and import submissions.
  root.querySelector('[data-download]')!.addEventListener('click', () => {
    saveNow();
    const now = new Date();
    const fileName = submissionFileName(manifest, now);
    downloadText(fileName, JSON.stringify(createSubmission(manifest, currentFiles(), now), null, 2));
    say(`Downloaded ${fileName}. Hand this file in to your instructor.`);
  });
  root.querySelector<HTMLInputElement>('[data-import]')!.addEventListener('change', async (event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const imported = readSubmission(manifest, await file.text());
    if (!imported.ok) {
      say(`Import refused: ${imported.error}`);
      return;
    }
    replaceFiles({ ...currentFiles(), ...imported.files });
    say(`Imported ${file.name}.${imported.warning ? ` ${imported.warning}` : ''} “Undo reset” brings back what you had.`);
  });

  mountResizer(root);
  root.dataset['ready'] = 'true';
}

/** The instructions/editor divider: drag it, or focus it and use the arrow keys. */
function mountResizer(root: HTMLElement): void {
  const resizer = root.querySelector<HTMLElement>('[data-resizer]')!;
  const set = (percent: number) => {
    const clamped = Math.min(70, Math.max(20, Math.round(percent)));
    root.style.setProperty('--instructions-width', `${clamped}%`);
    resizer.setAttribute('aria-valuenow', String(clamped));
  };
  resizer.addEventListener('keydown', (event) => {
    const now = Number(resizer.getAttribute('aria-valuenow'));
    if (event.key === 'ArrowLeft') set(now - 5);
    else if (event.key === 'ArrowRight') set(now + 5);
    else return;
    event.preventDefault();
  });
  resizer.addEventListener('pointerdown', (event) => {
    resizer.setPointerCapture(event.pointerId);
    const bounds = root.getBoundingClientRect();
    const move = (moveEvent: PointerEvent) => set(((moveEvent.clientX - bounds.left) / bounds.width) * 100);
    resizer.addEventListener('pointermove', move);
    resizer.addEventListener('pointerup', () => resizer.removeEventListener('pointermove', move), { once: true });
  });
}

/** Learner code runs without the DOM, so the editor knows only `console` beyond ECMAScript. */
const CONSOLE_TYPES = `declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
};`;
