/**
 * Monaco, bundled with the site (never from a CDN) and loaded only by lab pages: the editor, the
 * features a learner uses (editor-features.ts) and TypeScript's syntax colouring. Nothing here
 * waits for a worker: Monaco's workers start only when startWorkers() is called, and the
 * TypeScript service (typescript-service.ts) is loaded on its own, so the editor shows the code
 * and takes typing first.
 */
import * as monaco from 'monaco-editor/editor';
import './editor-features.ts';
import 'monaco-editor/languages/definitions/typescript/register';
// Its colouring rules, in this chunk: Monaco would fetch them only once the first model exists.
import 'monaco-editor/languages/definitions/typescript/typescript';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';

let allowWorkers: () => void = () => {};
const workersAllowed = new Promise<void>((resolve) => (allowWorkers = resolve));

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  // Monaco accepts a promised worker: each is created (and downloaded) once allowed.
  async getWorker(_workerId: string, label: string): Promise<Worker> {
    await workersAllowed;
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

/** Lets Monaco's workers (type checking, and the editor's own) start: call it once the editor is interactive. */
export function startWorkers(): void {
  allowWorkers();
}

// Monaco's own dark theme draws comments below WCAG AA contrast (4.5:1); this one raises them.
monaco.editor.defineTheme('virtlab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '8fc57e' }],
  colors: {},
});

export { monaco };
