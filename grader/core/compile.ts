/**
 * TypeScript → JavaScript for learner files and tests: sucrase strips the types and turns ES
 * module syntax into a CommonJS-style body (`require`, `exports`) that the module registry runs.
 * Line numbers are preserved, so errors point at the learner's own lines.
 */
import { transform } from 'sucrase';
import type { Diagnostic } from './types.ts';

/** A module ready for the registry, or the reason it is not. */
export type CompiledModule = { ok: true; code: string } | { ok: false; diagnostic: Diagnostic };

/**
 * Compiles one lab file.
 * @param path lab-relative path, used in messages (e.g. `starter/solution.ts`)
 */
export function compileModule(path: string, source: string): CompiledModule {
  try {
    const { code } = transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: path,
      // Keep modern syntax as written: every runtime the grader uses understands it.
      disableESTransforms: true,
      production: true,
    });
    return { ok: true, code };
  } catch (error) {
    const loc = (error as { loc?: { line?: unknown; column?: unknown } }).loc;
    const line = typeof loc?.line === 'number' ? loc.line : undefined;
    const column = typeof loc?.column === 'number' ? loc.column + 1 : undefined;
    const raw = error instanceof Error ? error.message : String(error);
    // sucrase says "Error transforming <file>: Unexpected token (3:7)"; keep only the reason.
    const reason = raw.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
    const where = line === undefined ? path : `${path}:${line}${column === undefined ? '' : `:${column}`}`;
    return {
      ok: false,
      diagnostic: {
        kind: 'syntax',
        file: path,
        ...(line === undefined ? {} : { line }),
        ...(column === undefined ? {} : { column }),
        message: `Syntax error at ${where}: ${reason}. Fix the code there so it parses as TypeScript.`,
        blocking: true,
      },
    };
  }
}
