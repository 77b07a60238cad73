/**
 * Packaging a lab for autograding services.
 * - Gradescope: a zip with `setup.sh` (installs Node) and `run_autograder` (grades
 *   /autograder/submission into /autograder/results/results.json). It contains the hidden tests
 *   and the reference solution: it is for instructors only; upload it to Gradescope, never publish it.
 * - GitHub Classroom: a workflow and the files it runs, to copy into the assignment's template
 *   repository. Students can read everything in their repository and everything its workflow
 *   can fetch, so by default it carries only the public tests (see grader/README.md).
 * Both run the same autograder entry (autograder.ts) with prebuilt bundles, so no npm install.
 */
import { build } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, bundleHarness, bundleSandboxProcess, isolatedVmBinary } from '../node/bundle.ts';
import type { LoadedLab } from '../node/lab-loader.ts';
import { isPublicTestFile } from '../core/lab-format.ts';

/** A file to write: text or bytes, and whether it is executable. */
export interface PackagedFile {
  data: string | Uint8Array;
  executable?: boolean;
}

/** The autograder's files by path (relative to the package root). */
export type PackagedFiles = Record<string, PackagedFile>;

/** Which parts of the lab go in. */
export interface PackageContent {
  includeHidden: boolean;
  includeSolution: boolean;
}

async function bundleAutograder(): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'grader/package/autograder.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    external: ['esbuild', 'typescript'],
    // Some bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __virtlabCreateRequire } from 'node:module'; const require = __virtlabCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no autograder bundle');
  return output.text;
}

/** `virtlab/`: the autograder entry, the sandbox bundles, the isolated-vm addon and the lab. */
export async function autograderFiles(lab: LoadedLab, content: PackageContent, prefix: string): Promise<PackagedFiles> {
  const [entry, harness, sandboxProcess, addon] = await Promise.all([bundleAutograder(), bundleHarness(), bundleSandboxProcess(), readFile(isolatedVmBinary())]);
  const labDir = `${prefix}virtlab/labs/${lab.manifest.id}`;
  const files: PackagedFiles = {
    [`${prefix}virtlab/autograder.mjs`]: { data: entry },
    [`${prefix}virtlab/harness.js`]: { data: harness },
    [`${prefix}virtlab/sandbox-process.mjs`]: { data: sandboxProcess },
    [`${prefix}virtlab/isolated-vm.node`]: { data: new Uint8Array(addon) },
    [`${prefix}virtlab/package.json`]: { data: '{ "type": "module", "private": true }\n' },
    [`${labDir}/lab.json`]: { data: `${JSON.stringify(lab.manifest, null, 2)}\n` },
  };
  for (const [path, text] of Object.entries(lab.starter)) files[`${labDir}/starter/${path}`] = { data: text };
  for (const [path, text] of Object.entries(lab.tests)) {
    if (!isPublicTestFile(path) && !content.includeHidden) continue;
    files[`${labDir}/tests/${path}`] = { data: text };
  }
  if (content.includeSolution) for (const [path, text] of Object.entries(lab.solution)) files[`${labDir}/solution/${path}`] = { data: text };
  return files;
}

/** Gradescope's setup.sh: installs this Node version (the addon is built for its ABI). */
export function gradescopeSetupScript(nodeVersion: string): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once while building the autograder image (Ubuntu x64, as root).
# It installs Node ${nodeVersion}, the version the packaged isolated-vm addon was built for.
set -euo pipefail
NODE_VERSION="${nodeVersion}"
if ! command -v curl >/dev/null || ! command -v xz >/dev/null; then
  apt-get update && apt-get install -y --no-install-recommends curl ca-certificates xz-utils
fi
mkdir -p /autograder/node
curl -fsSL "https://nodejs.org/dist/\${NODE_VERSION}/node-\${NODE_VERSION}-linux-x64.tar.xz" | tar -xJ -C /autograder/node --strip-components=1
/autograder/node/bin/node --version
`;
}

/** Gradescope's run_autograder. VIRTLAB_AUTOGRADER_ROOT replaces /autograder (for testing). */
export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Grades /autograder/submission and writes /autograder/results/results.json.
# VIRTLAB_AUTOGRADER_ROOT replaces /autograder, VIRTLAB_NODE the Node binary (both for testing).
set -uo pipefail
ROOT="\${VIRTLAB_AUTOGRADER_ROOT:-/autograder}"
export VIRTLAB_AUTOGRADER_ROOT="$ROOT"
SOURCE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
NODE="\${VIRTLAB_NODE:-$ROOT/node/bin/node}"
[ -x "$NODE" ] || NODE="$(command -v node)"
exec "$NODE" "$SOURCE/virtlab/autograder.mjs"
`;

/** The Gradescope autograder zip (hidden tests and solution included: keep it private). */
export async function gradescopeZip(lab: LoadedLab, nodeVersion: string): Promise<Uint8Array> {
  const files: PackagedFiles = {
    'setup.sh': { data: gradescopeSetupScript(nodeVersion), executable: true },
    run_autograder: { data: RUN_AUTOGRADER, executable: true },
    ...(await autograderFiles(lab, { includeHidden: true, includeSolution: true }, '')),
  };
  const zippable: Zippable = {};
  for (const [path, file] of Object.entries(files)) {
    const data = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
    // Unix permissions in the external attributes, so unzip keeps scripts executable.
    zippable[path] = [data, { os: 3, attrs: ((file.executable === true ? 0o100755 : 0o100644) << 16) >>> 0 }];
  }
  return zipSync(zippable, { level: 9 });
}

/** Folder (inside the template repository) that holds the GitHub Classroom autograder. */
export const CLASSROOM_DIR = '.virtlab/autograder';

/** The grading command of the workflow (also what the tests run locally). */
export const CLASSROOM_COMMAND = `node ${CLASSROOM_DIR}/virtlab/autograder.mjs --submission . --results "$RUNNER_TEMP/virtlab-results.json" --github-output "$GITHUB_OUTPUT" --summary "$GITHUB_STEP_SUMMARY"`;

/** The GitHub Actions workflow for a GitHub Classroom assignment. */
export function classroomWorkflow(lab: LoadedLab, nodeVersion: string): string {
  return `# virtlab autograding for "${lab.manifest.title}" (lab ${lab.manifest.id}, version ${lab.manifest.version}).
# Generated by: npx virtlab package --lab ${lab.manifest.id} --target github-classroom
name: Autograding Tests
on:
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Node
        uses: actions/setup-node@v4
        with:
          node-version: '${nodeVersion.replace(/^v/, '')}'
      - name: virtlab tests
        id: virtlab
        run: ${CLASSROOM_COMMAND}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          VIRTLAB_RESULTS: "\${{ steps.virtlab.outputs.result }}"
        with:
          runners: virtlab
`;
}

/** The files to copy into a GitHub Classroom template repository. */
export async function classroomFiles(lab: LoadedLab, nodeVersion: string, includeHidden: boolean): Promise<PackagedFiles> {
  return {
    '.github/workflows/classroom.yml': { data: classroomWorkflow(lab, nodeVersion) },
    ...(await autograderFiles(lab, { includeHidden, includeSolution: false }, `${CLASSROOM_DIR}/`)),
  };
}
