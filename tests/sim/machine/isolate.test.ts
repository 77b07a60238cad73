/**
 * Portability: the machine and hypervisor run in a bare V8 isolate (isolated-vm) with nothing
 * but ECMAScript built-ins — the grader's sandbox — and give the same result as in Node.
 */
import { build } from 'esbuild';
import ivm from 'isolated-vm';
import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { assemble, Machine } from '../../../src/sim/machine/index.ts';

async function bundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { assemble, Machine } from './src/sim/machine/index.ts';
        import { Hypervisor } from './src/sim/hv/index.ts';
        import { referenceKernel } from './src/sim/guests/index.ts';
        globalThis.runInIsolate = () => {
          const program = assemble(referenceKernel({ iterations: 5 }));
          const machine = new Machine({ memoryBytes: 256 * 1024 });
          machine.load(program);
          machine.run();
          const hv = new Hypervisor({ hostMemoryBytes: 2 << 20 });
          const vm = hv.createVm({ memoryBytes: 256 * 1024 });
          vm.load(program);
          // Run until the first exit and report it.
          let first = '';
          hv.run((exit) => { first ||= exit.kind; exit.powerOff(); });
          return JSON.stringify({ output: machine.console.output, stats: machine.stats, first, vmState: vm.state });
        };
      `,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

describe('portability', () => {
  it('runs in a bare V8 isolate with the same result as in Node', async () => {

    const code = await bundle();
    const isolate = new ivm.Isolate({ memoryLimit: 64 });
    try {
      const context = await isolate.createContext();
      await (await isolate.compileScript(code)).run(context);
      const json = (await context.eval('runInIsolate()', { timeout: 20_000 })) as string;
      const fromIsolate = JSON.parse(json) as { output: string; stats: unknown; first: string; vmState: string };
      const machine = new Machine({ memoryBytes: 256 * 1024 });
      machine.load(assemble(referenceKernel({ iterations: 5 })));
      machine.run();
      expect(fromIsolate.output).toBe(machine.console.output);
      expect(fromIsolate.stats).toEqual(JSON.parse(JSON.stringify(machine.stats)));
      expect(fromIsolate.first).toBe('privileged-instruction');
      expect(fromIsolate.vmState).toBe('shut-down');
    } finally {
      isolate.dispose();
    }
  });
});
