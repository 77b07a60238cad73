/** What a lab page hands the workbench in its JSON island (src/pages/labs/[id].astro). */
import type { LabManifest } from '../../grader/core/lab-format.ts';
import type { LabFiles } from './autosave.ts';

export interface LabData {
  manifest: LabManifest;
  starter: LabFiles;
  /** Public test files by name inside tests/ (public.ts and its helpers). */
  tests: Record<string, string>;
  hidden: { count: number; points: number };
  types: { sim: string; test: string };
}

export function readLabData(doc: Document): LabData | undefined {
  const island = doc.getElementById('lab-data');
  return island ? (JSON.parse(island.textContent ?? '{}') as LabData) : undefined;
}

export function editablePaths(manifest: LabManifest): string[] {
  return manifest.files.filter((file) => file.editable).map((file) => file.path);
}
