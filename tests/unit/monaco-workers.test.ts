/**
 * src/workbench/monaco-workers.ts stands in for one Monaco module at build time: it must still match
 * the installed Monaco (an upgrade fails here until the stand-in is checked again), and the plugin
 * must swap that module and nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MONACO_WORKERS, REPLACEMENT, monacoWorkersPlugin } from '../../scripts/monaco-workers-plugin.ts';

// esm/vs/internal/common/workers.js (Monaco's exports do not give its package.json).
const monacoRoot = resolve(dirname(MONACO_WORKERS), '../../../..');
const esm = join(monacoRoot, 'esm');

/** Monaco's modules that import the plumbing, with the names each imports. */
function importersOfPlumbing(): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const entry of readdirSync(esm, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const path = join(entry.parentPath, entry.name);
    for (const match of readFileSync(path, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      if (resolve(dirname(path), match[2]!) === MONACO_WORKERS) importers.set(path, match[1]!.split(',').map((name) => name.trim().split(/\s+as\s+/)[0]!));
    }
  }
  return importers;
}

describe("the stand-in for Monaco's worker plumbing", () => {
  const replacement = readFileSync(REPLACEMENT, 'utf8');

  it('names the Monaco version it mirrors, which is the installed one', () => {
    const installed = (JSON.parse(readFileSync(join(monacoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(/mirrors Monaco (\S+?)\)/.exec(replacement)?.[1]).toBe(installed);
  });

  it("exports what Monaco's module exports, and every importer uses only that", () => {
    const monacoExports = /export \{([^}]*)\}/.exec(readFileSync(MONACO_WORKERS, 'utf8'))![1]!.split(',').map((name) => name.trim());
    const ours = [...replacement.matchAll(/^export function (\w+)/gm)].map((match) => match[1]);
    expect(ours).toEqual(monacoExports);
    const importers = importersOfPlumbing();
    expect([...importers.keys()].some((path) => path.endsWith(join('typescript', 'workerManager.js')))).toBe(true);
    for (const [path, names] of importers) for (const name of names) expect(ours, `${path} imports ${name}`).toContain(name);
  });
});

describe('monacoWorkersPlugin', () => {
  type ResolveId = (this: { resolve(source: string, importer: string): Promise<{ id: string } | null> }, source: string, importer?: string) => Promise<string | null>;
  const resolveId = monacoWorkersPlugin().resolveId as ResolveId;
  const resolved: string[] = [];
  const context = {
    async resolve(source: string, importer: string) {
      resolved.push(source);
      return { id: resolve(dirname(importer), source) };
    },
  };
  const tsWorkerManager = join(esm, 'vs/languages/features/typescript/workerManager.js');

  it("redirects the import of Monaco's module to the stand-in", async () => {
    expect(await resolveId.call(context, '../../../internal/common/workers.js', tsWorkerManager)).toBe(REPLACEMENT);
  });

  it('leaves a module of the same name elsewhere, and every other import, to Vite', async () => {
    expect(await resolveId.call(context, './internal/common/workers.js', '/elsewhere/index.js')).toBeNull();
    expect(await resolveId.call(context, '../../../internal/common/workers.js', join(esm, 'vs/languages/workerManager.js'))).toBeNull();
    resolved.length = 0;
    expect(await resolveId.call(context, '../../../internal/common/initialize.js', tsWorkerManager)).toBeNull();
    expect(await resolveId.call(context, '../../../internal/common/workers.js')).toBeNull();
    expect(resolved, 'other specifiers are not even resolved').toEqual([]);
  });
});
