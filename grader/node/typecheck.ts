/**
 * Type-checking submissions with the `typescript` package, in the grader's own process (the
 * checker only reads the learner's text; it never runs it). Type errors are reported with file,
 * line and column, and cost no points: see grader/README.md ("Type errors") for why.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { LEARNER_GLOBALS_DECLARATIONS, LEARNER_GLOBALS_FILE } from '../core/learner-globals.ts';
import type { Diagnostic, SubmissionFiles } from '../core/types.ts';
import { REPO_ROOT } from './bundle.ts';
import type { LoadedLab } from './lab-loader.ts';

/** Virtual folder the submission's files appear in while checking. */
const VIRTUAL_ROOT = '/virtlab-submission';

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  erasableSyntaxOnly: true,
  lib: ['lib.es2023.d.ts'],
  types: [],
  skipLibCheck: true,
  baseUrl: REPO_ROOT,
  paths: { '@virtlab/sim': [join(REPO_ROOT, 'src/sim/index.ts')] },
};

/** Type-checks submissions of one lab, reusing parsed library files between submissions. */
export class Typechecker {
  readonly #lab: LoadedLab;
  readonly #cache = new Map<string, ts.SourceFile>();
  #previous: ts.Program | undefined;

  constructor(lab: LoadedLab) {
    this.#lab = lab;
  }

  /** Type errors (and syntax errors) in the learner's editable files; all non-blocking. */
  check(files: SubmissionFiles): Diagnostic[] {
    // The globals the runtime gives learner code (console), declared as the site's editor does.
    const virtual = new Map<string, string>([[`${VIRTUAL_ROOT}/${LEARNER_GLOBALS_FILE}`, LEARNER_GLOBALS_DECLARATIONS]]);
    for (const file of this.#lab.manifest.files) {
      const text = file.editable ? files[file.path] : this.#lab.starter[file.path];
      if (text !== undefined) virtual.set(`${VIRTUAL_ROOT}/starter/${file.path}`, text);
    }
    const host = ts.createCompilerHost(OPTIONS, true);
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.fileExists = (name) => virtual.has(name) || ts.sys.fileExists(name);
    host.directoryExists = (name) => name === VIRTUAL_ROOT || name.startsWith(`${VIRTUAL_ROOT}/`) || ts.sys.directoryExists(name);
    host.realpath = (name) => name;
    host.readFile = (name) => virtual.get(name) ?? readFile(name);
    host.getSourceFile = (name, language) => {
      const text = virtual.get(name);
      if (text !== undefined) return ts.createSourceFile(name, text, language, true);
      const cached = this.#cache.get(name);
      if (cached !== undefined) return cached;
      const parsed = getSourceFile(name, language);
      if (parsed !== undefined) this.#cache.set(name, parsed);
      return parsed;
    };
    host.getDefaultLibLocation = () => dirname(ts.getDefaultLibFilePath(OPTIONS));
    const editable = this.#lab.manifest.files.filter((f) => f.editable && files[f.path] !== undefined).map((f) => `${VIRTUAL_ROOT}/starter/${f.path}`);
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options: OPTIONS, host, ...(this.#previous === undefined ? {} : { oldProgram: this.#previous }) });
    this.#previous = program;
    const found: Diagnostic[] = [];
    for (const name of editable) {
      const source = program.getSourceFile(name);
      if (source === undefined) continue;
      for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
        found.push(toDiagnostic(diagnostic));
        if (found.length >= 50) return found;
      }
    }
    return found;
  }
}

function toDiagnostic(diagnostic: ts.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  const file = diagnostic.file?.fileName.replace(`${VIRTUAL_ROOT}/`, '');
  if (diagnostic.file === undefined || diagnostic.start === undefined || file === undefined) return { kind: 'type', message: `Type error: ${message}`, blocking: false };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { kind: 'type', file, line: line + 1, column: character + 1, message: `Type error at ${file}:${line + 1}:${character + 1}: ${message} (TS${diagnostic.code})`, blocking: false };
}
