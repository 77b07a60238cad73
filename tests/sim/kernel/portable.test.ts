/**
 * The kernel, cluster and scheduling simulators run unchanged in a bare V8 isolate (no console,
 * timers, Node or DOM APIs) and give there the same results as in Node; and their sources use
 * no wall clock, no Math.random and no host APIs.
 */
import { build } from 'esbuild';
import ivm from 'isolated-vm';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { portableScenario } from './portable-scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SIM = join(here, '..', '..', '..', 'src', 'sim');

async function runInIsolate(): Promise<string> {
  const bundle = await build({
    entryPoints: [join(here, 'portable-scenario.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'portable',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no bundle');
  const isolate = new ivm.Isolate({ memoryLimit: 256 });
  try {
    const context = await isolate.createContext();
    const script = await isolate.compileScript(`${code}\nportable.portableScenario();`);
    return (await script.run(context, { timeout: 20_000, copy: true })) as string;
  } finally {
    isolate.dispose();
  }
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : []);
}

describe('portability', () => {
  it('gives the same results in a bare V8 isolate as in Node', async () => {
    const inNode = portableScenario();
    const inIsolate = await runInIsolate();
    expect(inIsolate).toBe(inNode);
    const parsed = JSON.parse(inNode) as { escapes: string[][] };
    expect(parsed.escapes[0]?.length).toBeGreaterThan(0);
    expect(parsed.escapes[1]).toEqual([]);
  });

  it('uses no wall clock, Math.random or host APIs in the kernel, cluster and scheduling sources', () => {
    const forbidden = /\b(console|Math\.random|Date|performance|setTimeout|setInterval|queueMicrotask|structuredClone|TextEncoder|TextDecoder|crypto|(?<![.\w])process(?!\s*:)|globalThis|window|self|require)\b|from 'node:/;
    const files = ['kernel', 'cluster', 'sched'].flatMap((folder) => sourceFiles(join(SIM, folder)));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
      expect({ file, match: forbidden.exec(code)?.[0] ?? null }).toEqual({ file, match: null });
    }
  });
});
