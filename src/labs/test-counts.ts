/**
 * Counts a lab's hidden tests at build time, so the lab page can say how many exist without
 * publishing them. The build reads the lab's test files only to collect the test declarations
 * (in a node:vm context, without running any learner or starter code); only the count and the
 * points leave this module, and a test searches every build for the hidden tests' text.
 */
import type { CollectReport } from '../../grader/core/protocol.ts';
import { buildRunRequest } from '../../grader/core/run-request.ts';
import { bundleHarness } from '../../grader/node/bundle.ts';
import { createVmPort } from '../../grader/node/in-process.ts';
import { loadLab } from '../../grader/node/lab-loader.ts';

export interface HiddenSummary {
  count: number;
  points: number;
}

let harness: Promise<string> | undefined;

export async function summarizeHiddenTests(labDir: string): Promise<HiddenSummary> {
  const lab = await loadLab(labDir);
  harness ??= bundleHarness(); // bundled once per build, shared by every lab
  const port = createVmPort(await harness);
  try {
    const { request } = buildRunRequest(lab, lab.starter, { includeHidden: true });
    const report = JSON.parse(await port.collect(JSON.stringify(request))) as CollectReport;
    if (report.problem !== undefined) throw new Error(`${labDir}: ${report.problem}`);
    const hidden = report.tests.filter((test) => test.visibility === 'hidden');
    return { count: hidden.length, points: hidden.reduce((sum, test) => sum + test.points, 0) };
  } finally {
    port.dispose();
  }
}
