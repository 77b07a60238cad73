/**
 * Monaco's TypeScript service (diagnostics, suggestions, hovers…), loaded after the editor is
 * interactive (type-checking.ts). Monaco would load it as soon as the first TypeScript model
 * exists, competing with the editor's first paint. Loaded later, its own "on first
 * TypeScript model" hook has already missed that moment; setUpTypeScript() does its job. (Its worker
 * plumbing is our small stand-in, monaco-workers.ts, not Monaco's, which imports every editor feature.)
 */
import { getTypeScriptWorker, typescriptDefaults, type CompilerOptions } from 'monaco-editor/languages/features/typescript/register';
import type { LabData } from './lab-data.ts';
import { declareLabTypes } from './editor-session.ts';
import type { TypeScriptWorkerSource } from './type-errors.ts';

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

/** Type checking for the lab's models, with the grader's options and the lab's declarations. */
export async function setUpTypeScript(types: LabData['types']): Promise<TypeScriptWorkerSource> {
  typescriptDefaults.setCompilerOptions(GRADER_OPTIONS);
  typescriptDefaults.setEagerModelSync(true);
  declareLabTypes(typescriptDefaults, types);
  const mode = await import('monaco-editor/languages/features/typescript/tsMode');
  mode.setupTypeScript(typescriptDefaults);
  return getTypeScriptWorker;
}
