/**
 * Every numeric question generator, discovered from the per-lesson files beside this one.
 * Generator names are global; a duplicate fails loudly rather than shadowing another lesson's.
 */
import type { NumericGenerator } from '../types.ts';

const modules = import.meta.glob<{ generators: Record<string, NumericGenerator> }>(
  ['./*.ts', '!./index.ts'],
  { eager: true },
);

function collect(): ReadonlyMap<string, NumericGenerator> {
  const all = new Map<string, NumericGenerator>();
  for (const [file, module] of Object.entries(modules)) {
    for (const [name, generator] of Object.entries(module.generators ?? {})) {
      if (all.has(name)) throw new Error(`Quiz generator "${name}" is defined twice (again in ${file}). Rename one.`);
      all.set(name, generator);
    }
  }
  return all;
}

export const generators = collect();
