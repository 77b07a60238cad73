/**
 * Bundles the declarations learners' code sees into single .d.ts files for the lab editor's
 * IntelliSense: `@virtlab/sim` (src/sim) and `@virtlab/test` (the grader's test API).
 * Generated from the code, never hand-copied (see ./index.ts for when).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateDtsBundle } from 'dts-bundle-generator';

const root = resolve(import.meta.dirname, '../..');
export const LAB_TYPES_OUTPUTS = ['sim.d.ts', 'test.d.ts'];

const entries = [
  { name: 'sim', filePath: resolve(root, 'src/sim/index.ts') },
  { name: 'test', filePath: resolve(root, 'grader/core/test-api.ts') },
];

/** Writes `<outDir>/sim.d.ts` and `<outDir>/test.d.ts`. */
export function generateLabTypes(outDir: string): void {
  const bundles = generateDtsBundle(
    entries.map((entry) => ({
      filePath: entry.filePath,
      noCheck: true,
      // Inline the matcher types so `expect(...)` is typed in the editor, not `any`.
      libraries: {
        inlinedLibraries: [
          '@vitest/expect',
          '@vitest/spy',
          'tinyspy',
          '@vitest/pretty-format',
          '@vitest/utils',
          'tinyrainbow',
          '@types/chai',
          'chai',
        ],
      },
      output: { noBanner: true, exportReferencedTypes: false },
    })),
    { preferredConfigPath: resolve(root, 'tsconfig.json') },
  );
  mkdirSync(outDir, { recursive: true });
  entries.forEach((entry, index) => {
    writeFileSync(resolve(outDir, `${entry.name}.d.ts`), bundles[index]!);
  });
}
