/**
 * The module registry: runs compiled lab modules (CommonJS-style bodies from compile.ts) and
 * resolves their imports. Only three kinds of import exist:
 * - `@virtlab/sim` (the simulator) and, for test files only, `@virtlab/test`;
 * - the lab's own files, by relative path (`./fleet.ts`, `../starter/solution.ts`);
 * anything else (`fs`, `node:child_process`, a URL, a hidden test from learner code) is an error
 * that names the import and the file that asked for it.
 */

/** A module's exports object; `__esModule` makes sucrase's interop helpers use it as is. */
export type ModuleExports = Record<string | symbol, unknown>;

/** Turns a module body into a function of (exports, require, module); see {@link createEvaluator}. */
export type Evaluate = (code: string, path: string) => (exports: ModuleExports, require: (specifier: string) => unknown, module: { exports: ModuleExports }) => void;

/** Thrown for an import the registry refuses; names the import and the importer. */
export class ImportError extends Error {
  readonly file: string;
  readonly specifier: string;
  constructor(file: string, specifier: string, reason: string) {
    super(`${file} imports '${specifier}': ${reason}`);
    this.name = 'ImportError';
    this.file = file;
    this.specifier = specifier;
  }
}

/** Prefix of the source URLs given to lab modules, so stack traces name lab files. */
export const SOURCE_URL_PREFIX = 'virtlab:///';

/**
 * The default evaluator: indirect eval of the body wrapped in a function on the body's first
 * line, so line numbers in stack traces match the learner's file.
 */
export function createEvaluator(): Evaluate {
  const indirectEval = eval;
  return (code, path) => indirectEval(`(function (exports, require, module) {"use strict";${code}\n})\n//# sourceURL=${SOURCE_URL_PREFIX}${path}`);
}

interface RegistryOptions {
  /** Compiled module bodies by lab-relative path (`starter/solution.ts`, `tests/public.ts`). */
  modules: ReadonlyMap<string, string>;
  /** Built-in modules: `@virtlab/sim`, `@virtlab/test`. */
  builtins: ReadonlyMap<string, ModuleExports>;
  evaluate: Evaluate;
  /** Returns a stand-in for a module instead of running it (never cached), or undefined. */
  intercept?: (path: string) => ModuleExports | undefined;
  /** Which specifiers a module may import (after resolution); returns a reason to refuse, or undefined. */
  policy: (importer: string, resolved: string) => string | undefined;
}

/** Joins a relative specifier onto the importer's folder; undefined when it leaves the lab. */
export function resolveRelative(importer: string, specifier: string): string | undefined {
  const parts = importer.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Loads modules on demand and caches them, CommonJS style (cycles see partial exports). */
export class ModuleRegistry {
  readonly #options: RegistryOptions;
  readonly #cache = new Map<string, { exports: ModuleExports }>();

  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  /** Resolves `specifier` as imported from `importer` to a built-in name or a module path. */
  resolve(importer: string, specifier: string): string {
    if (typeof specifier !== 'string') throw new ImportError(importer, String(specifier), 'module names must be strings');
    if (this.#options.builtins.has(specifier)) return specifier;
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
      throw new ImportError(importer, specifier, `only '@virtlab/sim', '@virtlab/test' (in tests) and the lab's own files (like './other.ts') can be imported here. Remove this import.`);
    }
    const joined = resolveRelative(importer, specifier);
    if (joined === undefined) throw new ImportError(importer, specifier, 'the path leads outside the lab');
    const candidates = [joined, `${joined}.ts`, joined.replace(/\.js$/, '.ts')];
    const found = candidates.find((candidate) => this.#options.modules.has(candidate));
    if (found === undefined) throw new ImportError(importer, specifier, `there is no such file in this lab (resolved to '${joined}')`);
    return found;
  }

  /** The exports of `path`, running its body the first time. */
  load(path: string): ModuleExports {
    const builtin = this.#options.builtins.get(path);
    if (builtin !== undefined) return builtin;
    const standIn = this.#options.intercept?.(path);
    if (standIn !== undefined) return standIn;
    const cached = this.#cache.get(path);
    if (cached !== undefined) return cached.exports;
    const code = this.#options.modules.get(path);
    if (code === undefined) throw new Error(`No module '${path}' in this lab`);
    const exports: ModuleExports = {};
    const module = { exports };
    this.#cache.set(path, module);
    const require = (specifier: string): unknown => this.require(path, specifier);
    try {
      this.#options.evaluate(code, path)(exports, require, module);
    } catch (error) {
      // As in Node: a module that failed to load is not cached, so the next import retries it.
      this.#cache.delete(path);
      throw error;
    }
    return module.exports;
  }

  /** `require(specifier)` as called by the module at `importer`. */
  require(importer: string, specifier: string): unknown {
    const resolved = this.resolve(importer, specifier);
    const refusal = this.#options.policy(importer, resolved);
    if (refusal !== undefined) throw new ImportError(importer, specifier, refusal);
    return this.load(resolved);
  }
}
