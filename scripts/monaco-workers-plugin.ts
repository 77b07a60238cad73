/**
 * A Vite plugin that swaps exactly one Monaco module, its worker plumbing
 * (`monaco-editor/esm/vs/internal/common/workers.js`), for src/workbench/monaco-workers.ts, which
 * says why. Matched by resolved file, not by the import's text, so no other module named like it
 * (in Monaco or elsewhere) is touched; imports that resolve anywhere else pass through.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export const MONACO_WORKERS = realpathSync(fileURLToPath(import.meta.resolve('monaco-editor/internal/common/workers.js')));
export const REPLACEMENT = fileURLToPath(new URL('../src/workbench/monaco-workers.ts', import.meta.url));

/** Specifiers that could name the module; only these are resolved to check (the rest cost nothing). */
const CANDIDATE = /(^|\/)internal\/common\/workers(\.js)?$/;

export function monacoWorkersPlugin(): Plugin {
  return {
    name: 'virtlab:monaco-workers',
    // Before Vite's own resolver, which would otherwise resolve the import to Monaco's file.
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !CANDIDATE.test(source)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      // Vite resolves symbolic links (resolve.preserveSymlinks is off), as MONACO_WORKERS does.
      return resolved?.id === MONACO_WORKERS ? REPLACEMENT : null;
    },
  };
}
