/**
 * Monaco, bundled with the site (never from a CDN) and loaded only by lab pages.
 * Only the editor features and the TypeScript language are included, to keep lab pages light.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import { getTypeScriptWorker, typescriptDefaults, type CompilerOptions } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

/**
 * The compiler options of the grader's type check (grader/node/typecheck.ts), so the editor reports
 * exactly what `virtlab grade` reports. Given to the language service as-is, not parsed like a
 * tsconfig: `lib` names the library file itself, and enums are TypeScript's numbers (Monaco's
 * enums stop at ES2020 and NodeJs resolution).
 */
const GRADER_OPTIONS: CompilerOptions = {
  strict: true,
  noEmit: true,
  target: 10 as CompilerOptions['target'], // ts.ScriptTarget.ES2023
  module: 99, // ts.ModuleKind.ESNext
  moduleResolution: 100 as CompilerOptions['moduleResolution'], // ts.ModuleResolutionKind.Bundler
  allowImportingTsExtensions: true,
  erasableSyntaxOnly: true,
  lib: ['lib.es2023.d.ts'],
  types: [],
  skipLibCheck: true,
};
typescriptDefaults.setCompilerOptions(GRADER_OPTIONS);
typescriptDefaults.setEagerModelSync(true);

// Monaco's own dark theme draws comments below WCAG AA contrast (4.5:1); this one raises them.
monaco.editor.defineTheme('virtlab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '8fc57e' }],
  colors: {},
});

export { getTypeScriptWorker, monaco, typescriptDefaults };
