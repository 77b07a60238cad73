/**
 * The PrairieLearn target: a question folder whose external grader runs the packaged autograder.
 * PrairieLearn copies the question's `tests/` to /grade/tests, the student's files to
 * /grade/student, runs the entrypoint in the image, and reads /grade/results/results.json:
 * `{ gradable, score (0–1), message, output, tests: [{ name, points, max_points, message, output }] }`.
 * The folder holds the hidden tests (PrairieLearn never shows a question's tests/ to students);
 * keep the course repository private.
 */
import type { LoadedLab } from '../node/lab-loader.ts';
import { autograderFiles, type PackagedFiles } from './package.ts';

/** The external grader's entrypoint (in /grade/tests). VIRTLAB_GRADE_ROOT replaces /grade for testing. */
export const PRAIRIELEARN_RUN = `#!/usr/bin/env bash
# PrairieLearn external grader: grades /grade/student into /grade/results/results.json.
set -uo pipefail
ROOT="\${VIRTLAB_GRADE_ROOT:-/grade}"
SOURCE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
NODE="\${VIRTLAB_NODE:-$(command -v node)}"
exec "$NODE" "$SOURCE/virtlab/autograder.mjs" --submission "$ROOT/student" --results "$ROOT/results/results.json" --results-format prairielearn
`;

/** The question's info.json: external grading with Node's official image at the addon's version. */
export function prairielearnInfo(lab: LoadedLab, nodeVersion: string, uuid: string): object {
  return {
    uuid,
    title: lab.manifest.title,
    topic: 'Virtualization',
    tags: ['virtlab', lab.manifest.id],
    type: 'v3',
    singleVariant: true,
    gradingMethod: 'External',
    externalGradingOptions: {
      enabled: true,
      image: `node:${nodeVersion.replace(/^v/, '')}-bookworm-slim`,
      entrypoint: '/grade/tests/run.sh',
      timeout: Math.max(60, Math.ceil((lab.manifest.limits.timeMs * 3) / 1000)),
    },
  };
}

/** question.html: the lab's summary and an upload field for its editable files. */
export function prairielearnQuestion(lab: LoadedLab): string {
  const editable = lab.manifest.files.filter((f) => f.editable).map((f) => f.path);
  return `<pl-question-panel>
  <p>${lab.manifest.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>
  <p>Write your code on the virtlab lab page (${lab.manifest.id}), then upload ${editable.join(' and ')}.</p>
</pl-question-panel>
<pl-file-upload file-names="${editable.join(', ')}"></pl-file-upload>
<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
`;
}

/** The question folder: info.json, question.html, tests/run.sh and the autograder under tests/virtlab/. */
export async function prairielearnFiles(lab: LoadedLab, nodeVersion: string, uuid: string): Promise<PackagedFiles> {
  return {
    'info.json': { data: `${JSON.stringify(prairielearnInfo(lab, nodeVersion, uuid), null, 2)}\n` },
    'question.html': { data: prairielearnQuestion(lab) },
    'tests/run.sh': { data: PRAIRIELEARN_RUN, executable: true },
    ...(await autograderFiles(lab, { includeHidden: true, includeSolution: false }, 'tests/')),
  };
}
