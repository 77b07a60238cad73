/**
 * The HTML report of a lab's mutation run: Stryker's own report viewer (mutation-testing-elements)
 * fed with a mutation-testing-report-schema document, equivalent mutants shown as Ignored with
 * their reason.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { LabSummary, GradedMutant } from './summary.ts';

type SchemaStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Timeout' | 'Ignored' | 'Pending';

/** The schema document: one file per mutated source, positions 1-based. */
export function reportDocument(summary: LabSummary, sources: Readonly<Record<string, string>>, threshold: number) {
  const entries: { mutant: GradedMutant; status: SchemaStatus; reason?: string }[] = [
    ...[...summary.killed, ...summary.timedOut, ...summary.survived, ...summary.noCoverage, ...summary.errors].map((mutant) => ({
      mutant, status: mutant.status as SchemaStatus, reason: mutant.killedBy?.length ? `failed: ${mutant.killedBy.join('; ')}` : mutant.statusReason,
    })),
    ...summary.equivalent.map(({ mutant, entry }) => ({ mutant, status: 'Ignored' as const, reason: `equivalent: ${entry.reason}` })),
  ];
  const files: Record<string, { language: string; source: string; mutants: unknown[] }> = {};
  for (const [file, source] of Object.entries(sources)) files[file] = { language: 'typescript', source, mutants: [] };
  for (const { mutant, status, reason } of entries) {
    files[mutant.file]?.mutants.push({
      id: mutant.id, mutatorName: mutant.mutator, replacement: mutant.replacement, status, statusReason: reason,
      location: {
        start: { line: mutant.location.start.line + 1, column: mutant.location.start.column + 1 },
        end: { line: mutant.location.end.line + 1, column: mutant.location.end.column + 1 },
      },
    });
  }
  return { schemaVersion: '2', thresholds: { high: threshold, low: threshold - 15 }, files };
}

/** A self-contained HTML page showing `document`. */
export async function reportHtml(title: string, document: unknown): Promise<string> {
  const require = createRequire(import.meta.url);
  const viewer = await readFile(require.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8');
  // Break "</script>" and friends inside the JSON so the page's script element is not closed early.
  const json = JSON.stringify(document).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title.replace(/</g, '&lt;')}</title><script>${viewer}</script></head>
<body>
<mutation-test-report-app title-postfix="virtlab"></mutation-test-report-app>
<script>
  const app = document.querySelector('mutation-test-report-app');
  app.report = ${json};
  const theme = () => { document.body.style.backgroundColor = app.themeBackgroundColor; };
  app.addEventListener('theme-changed', theme);
  theme();
</script>
</body>
</html>
`;
}
