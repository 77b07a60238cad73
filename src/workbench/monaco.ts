/**
 * Monaco, bundled with the site (never from a CDN) and loaded only by lab pages.
 * Only the editor features and the TypeScript language are included, to keep lab pages light.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import { typescriptDefaults, ModuleKind, ModuleResolutionKind, ScriptTarget } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

/** The compiler settings lab code is checked with in the editor (the grader uses the same rules). */
typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  moduleResolution: ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  lib: ['es2022'],
});
typescriptDefaults.setEagerModelSync(true);

// Monaco's own dark theme draws comments below WCAG AA contrast (4.5:1); this one raises them.
monaco.editor.defineTheme('virtlab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '8fc57e' }],
  colors: {},
});

export { monaco, typescriptDefaults };
