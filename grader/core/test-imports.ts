/**
 * Which exports of the learner's files each test file imports: the names a submission must
 * export for that file's tests to run. Read from the test files' own import declarations,
 * following the lab's helper files (`tests/checks.ts`), so a restructured solution that keeps
 * these names is graded, whatever else the starter exported.
 */
import { resolveRelative } from './registry.ts';

/** One export a test file needs, and through which helper file when not directly. */
export interface RequiredExport {
  name: string;
  /** The test file whose tests need it, e.g. `tests/public.ts`. */
  testFile: string;
  /** The lab file that imports it when it is not the test file itself, e.g. `tests/checks.ts`. */
  via?: string;
}

/** Required exports by learner module path (`starter/consolidate.ts`). */
export type RequiredExports = Record<string, RequiredExport[]>;

/** An import (or re-export) declaration's specifier and the value names it takes. */
interface ImportDeclaration {
  specifier: string;
  /** Value names imported; `*` entries are resolved from `namespace.name` uses. */
  names: string[];
}

const IMPORT = /\bimport\s+(type\s+)?([\w$]+\s*,?\s*)?(\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*from\s*['"]([^'"]+)['"]/g;
const RE_EXPORT = /\bexport\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

/** Names of a `{ a, b as c, type T }` list that are values (type-only ones are erased). */
function braceNames(list: string): string[] {
  return list
    .replace(/[{}]/g, '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('type '))
    .map((part) => part.split(/\s+as\s+/)[0]?.trim() ?? '')
    .filter((name) => name !== '');
}

/** Comments removed, so commented-out imports do not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The import declarations of a TypeScript module's source. */
export function importDeclarations(source: string): ImportDeclaration[] {
  const code = withoutComments(source);
  const found: ImportDeclaration[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const [, typeOnly, defaultPart, bindings, specifier] = match;
    if (typeOnly !== undefined || specifier === undefined) continue;
    const names: string[] = [];
    if (defaultPart !== undefined && defaultPart.trim() !== '') names.push('default');
    if (bindings?.startsWith('{')) names.push(...braceNames(bindings));
    else if (bindings !== undefined) {
      // `import * as ns`: the names are those the module reads as `ns.name`.
      const namespace = bindings.replace(/^\*\s*as\s+/, '').trim();
      for (const use of code.matchAll(new RegExp(`(?<![\\w$.])${namespace.replace(/\$/g, '\\$')}\\.([\\w$]+)`, 'g'))) names.push(use[1] as string);
    }
    found.push({ specifier, names });
  }
  for (const match of code.matchAll(RE_EXPORT)) {
    const [, typeOnly, bindings, specifier] = match;
    if (typeOnly === undefined && specifier !== undefined && bindings !== undefined) found.push({ specifier, names: braceNames(bindings) });
  }
  return found;
}

/**
 * The learner exports each of `testFiles` needs, directly or through other lab test files.
 * @param sources lab modules by lab-relative path (`tests/public.ts`, `tests/checks.ts`, ...)
 * @param learnerFiles lab-relative paths of the learner's modules (`starter/consolidate.ts`)
 */
export function requiredLearnerExports(sources: ReadonlyMap<string, string>, testFiles: readonly string[], learnerFiles: readonly string[]): RequiredExports {
  const learner = new Set(learnerFiles);
  const required: RequiredExports = {};
  const resolve = (importer: string, specifier: string): string | undefined => {
    const joined = resolveRelative(importer, specifier);
    if (joined === undefined) return undefined;
    return [joined, `${joined}.ts`, joined.replace(/\.js$/, '.ts')].find((path) => learner.has(path) || sources.has(path));
  };
  for (const testFile of testFiles) {
    const seen = new Set<string>();
    const visit = (module: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      const source = sources.get(module);
      if (source === undefined) return;
      for (const declaration of importDeclarations(source)) {
        if (!declaration.specifier.startsWith('.')) continue;
        const target = resolve(module, declaration.specifier);
        if (target === undefined) continue;
        if (!learner.has(target)) {
          if (target.startsWith('tests/')) visit(target);
          continue;
        }
        const list = (required[target] ??= []);
        for (const name of declaration.names) {
          if (list.some((r) => r.name === name && r.testFile === testFile)) continue;
          list.push({ name, testFile, ...(module === testFile ? {} : { via: module }) });
        }
      }
    };
    visit(testFile);
  }
  return required;
}
