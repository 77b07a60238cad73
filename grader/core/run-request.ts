/**
 * Builds a {@link RunRequest} from a lab's sources and a submission's files: picks the learner's
 * version of each editable file and the lab's version of the rest, compiles everything, and notes
 * what the learner sent that the grader will not use.
 */
import { compileModule } from './compile.ts';
import type { LabManifest } from './lab-format.ts';
import type { RunRequest, RuntimeModule } from './protocol.ts';
import { requiredLearnerExports, type RequiredExports } from './test-imports.ts';
import type { Diagnostic, SubmissionFiles, Visibility } from './types.ts';

/** A lab's text files, as the grader (Node) or the site (browser) has them. */
export interface LabSources {
  manifest: LabManifest;
  /** Starter files by their path inside `starter/` (`solution.ts`). */
  starter: Readonly<Record<string, string>>;
  /** Test files by their path inside `tests/`: `public.ts`, `hidden.ts` (absent in the browser), helpers. */
  tests: Readonly<Record<string, string>>;
}

/** The test files and their visibility, in run order. */
export const TEST_FILES: readonly { file: string; visibility: Visibility }[] = [
  { file: 'public.ts', visibility: 'public' },
  { file: 'hidden.ts', visibility: 'hidden' },
];

/**
 * What submissions must export: exactly the names the test files that will run import from the
 * learner's files (directly or through the lab's helper files), each with the test file that
 * needs it. The browser runs only the public tests, so it requires only what they import.
 */
export function requiredExportsOf(lab: LabSources, includeHidden: boolean): RequiredExports {
  const sources = new Map(Object.entries(lab.tests).map(([name, source]) => [`tests/${name}`, source]));
  const testFiles = TEST_FILES.filter((t) => includeHidden || t.visibility === 'public').map((t) => `tests/${t.file}`);
  const learnerFiles = lab.manifest.files.filter((f) => f.editable).map((f) => `starter/${f.path}`);
  return requiredLearnerExports(sources, testFiles, learnerFiles);
}

/** Options for {@link buildRunRequest}. */
export interface BuildOptions {
  /** Run the hidden tests too (the grader) or only the public ones (the browser). */
  includeHidden: boolean;
  /** Precomputed {@link requiredExportsOf} for the lab (with the same `includeHidden`). */
  requiredExports?: RequiredExports;
}

/** The request for one submission plus non-blocking notes about its files. */
export function buildRunRequest(lab: LabSources, files: SubmissionFiles, options: BuildOptions): { request: RunRequest; notes: Diagnostic[] } {
  const { manifest } = lab;
  const modules: Record<string, RuntimeModule> = {};
  const notes: Diagnostic[] = [];
  const learnerFiles: string[] = [];
  const known = new Set(manifest.files.map((f) => f.path));

  for (const file of manifest.files) {
    const path = `starter/${file.path}`;
    if (file.editable) {
      learnerFiles.push(path);
      const source = files[file.path];
      if (source === undefined) continue; // reported as missing when the runtime loads
      const compiled = compileModule(path, source);
      modules[path] = compiled.ok ? { code: compiled.code } : { diagnostic: compiled.diagnostic };
    } else {
      const source = lab.starter[file.path];
      if (source === undefined) throw new Error(`Lab ${manifest.id}: starter/${file.path} is listed in lab.json but missing`);
      const compiled = compileModule(path, source);
      if (!compiled.ok) throw new Error(`Lab ${manifest.id}: ${compiled.diagnostic.message}`);
      modules[path] = { code: compiled.code };
      if (files[file.path] !== undefined && files[file.path] !== source) {
        notes.push({ kind: 'file', file: path, message: `${file.path} is read-only in this lab; your changes to it were ignored and the lab's version was used.`, blocking: false });
      }
    }
  }
  for (const name of Object.keys(files)) {
    if (!known.has(name)) notes.push({ kind: 'file', file: name, message: `${name} is not a file of this lab; it was ignored. The lab's files are: ${[...known].join(', ')}.`, blocking: false });
  }

  const testFiles: RunRequest['testFiles'] = [];
  for (const [name, source] of Object.entries(lab.tests)) {
    const path = `tests/${name}`;
    const visibility = TEST_FILES.find((t) => t.file === name)?.visibility;
    if (visibility === 'hidden' && !options.includeHidden) continue;
    const compiled = compileModule(path, source);
    if (!compiled.ok) throw new Error(`Lab ${manifest.id}: ${compiled.diagnostic.message}`);
    modules[path] = { code: compiled.code };
  }
  for (const { file, visibility } of TEST_FILES) {
    if (visibility === 'hidden' && !options.includeHidden) continue;
    if (lab.tests[file] === undefined) throw new Error(`Lab ${manifest.id} has no tests/${file}`);
    testFiles.push({ path: `tests/${file}`, visibility });
  }

  const request: RunRequest = {
    modules,
    learnerFiles,
    testFiles,
    requiredExports: options.requiredExports ?? requiredExportsOf(lab, options.includeHidden),
    expectedPoints: manifest.points,
    limits: { timeMs: manifest.limits.timeMs, outputBytes: manifest.limits.outputBytes },
  };
  return { request, notes };
}
