/**
 * The Monaco editor and one model per file: the lab's files (editable or read-only) and the public
 * tests (read-only). Knows which text is the learner's and tells listeners about the learner's own
 * edits, never about text the page puts in place (reset, import, undo).
 */
import type * as Monaco from 'monaco-editor/editor';
import { LEARNER_GLOBALS_DECLARATIONS, LEARNER_GLOBALS_FILE } from '../../grader/core/learner-globals.ts';
import type { LabFiles } from './autosave.ts';
import { editablePaths, type LabData } from './lab-data.ts';

type MonacoApi = typeof Monaco;
type Model = Monaco.editor.ITextModel;

export class EditorSession {
  readonly monaco: MonacoApi;
  readonly editor: Monaco.editor.IStandaloneCodeEditor;
  readonly editable: ReadonlySet<string>;
  /** Every file shown in a tab, lab files first, then `tests/…`. */
  readonly paths: readonly string[];
  readonly #models = new Map<string, Model>();
  readonly #labPaths: readonly string[];
  readonly #editListeners: (() => void)[] = [];
  #applying = false;

  constructor(monaco: MonacoApi, host: HTMLElement, data: LabData, files: LabFiles) {
    this.monaco = monaco;
    const { manifest } = data;
    this.editable = new Set(editablePaths(manifest));
    this.#labPaths = manifest.files.map((file) => file.path);
    for (const path of this.#labPaths) this.#models.set(path, monaco.editor.createModel(files[path] ?? '', 'typescript', monaco.Uri.parse(`file:///starter/${path}`)));
    for (const [name, text] of Object.entries(data.tests)) this.#models.set(`tests/${name}`, monaco.editor.createModel(text, 'typescript', monaco.Uri.parse(`file:///tests/${name}`)));
    this.paths = [...this.#models.keys()];
    const shortcut = /Mac|iPhone|iPad/.test(navigator.platform) ? 'Ctrl+Shift+M' : 'Ctrl+M';
    this.editor = monaco.editor.create(host, {
      model: this.model(this.firstEditable),
      theme: prefersDark(host.ownerDocument) ? 'virtlab-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      lineHeight: 18, // 35 lines and more at 1280×800
      scrollBeyondLastLine: false,
      ariaLabel: `${manifest.title}: code editor. Press ${shortcut} to make Tab move focus out of the editor.`,
      accessibilitySupport: 'auto',
      tabSize: 2,
    });
    for (const path of this.editable) {
      this.model(path).onDidChangeContent(() => {
        if (!this.#applying) for (const listener of this.#editListeners) listener();
      });
    }
    followTheme(monaco, host.ownerDocument);
  }

  get firstEditable(): string {
    return [...this.editable][0]!;
  }

  model(path: string): Model {
    const model = this.#models.get(path);
    if (!model) throw new Error(`The workbench has no file named ${path}.`);
    return model;
  }

  /** Shows `path` in the editor, read-only unless it is one of the learner's files. */
  show(path: string): void {
    this.editor.setModel(this.model(path));
    this.editor.updateOptions({ readOnly: !this.editable.has(path), readOnlyMessage: { value: `${path} is read-only in this lab.` } });
  }

  /** The lab's files as they are now (the learner's text and the read-only files). */
  files(): LabFiles {
    return Object.fromEntries(this.#labPaths.map((path) => [path, this.model(path).getValue()]));
  }

  /** Puts `files` in the learner's editable files without counting it as the learner's edit. */
  replace(files: LabFiles): void {
    this.#applying = true;
    try {
      for (const [path, text] of Object.entries(files)) if (this.editable.has(path)) this.model(path).setValue(text);
    } finally {
      this.#applying = false;
    }
  }

  /** Called after every edit the learner makes in one of their files. */
  onLearnerEdit(listener: () => void): void {
    this.#editListeners.push(listener);
  }
}

/** Gives the editor the declarations of the simulator, the test API and the learner's globals. */
export function declareLabTypes(defaults: { setExtraLibs(libs: { content: string; filePath?: string }[]): void }, types: LabData['types']): void {
  defaults.setExtraLibs([
    { content: types.sim, filePath: 'file:///node_modules/@virtlab/sim/index.d.ts' },
    { content: types.test, filePath: 'file:///node_modules/@virtlab/test/index.d.ts' },
    { content: LEARNER_GLOBALS_DECLARATIONS, filePath: `file:///${LEARNER_GLOBALS_FILE}` },
  ]);
}

function prefersDark(doc: Document): boolean {
  const chosen = doc.documentElement.dataset['theme'];
  return chosen === 'dark' || (chosen !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
}

/** The editor's theme follows the site's (the toggle) and the system's. */
function followTheme(monaco: MonacoApi, doc: Document): void {
  const apply = () => monaco.editor.setTheme(prefersDark(doc) ? 'virtlab-dark' : 'vs');
  new MutationObserver(apply).observe(doc.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
}
