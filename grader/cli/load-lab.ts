/** Finding a lab by id, and reading submissions for it, for a CLI command, with messages that say what to do. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabManifest } from '../core/lab-format.ts';
import { LabError, listLabIds, loadLab, type LoadedLab } from '../node/lab-loader.ts';
import { singleLine } from '../node/safe-text.ts';
import { InputError, readSubmissions, type SubmissionInput } from '../node/submissions.ts';
import { EXIT } from './exit-codes.ts';

/** The lab, or an exit code after explaining the problem on stderr. */
export async function loadLabForCli(labsDir: string, id: string, stderr: NodeJS.WritableStream): Promise<LoadedLab | number> {
  const dir = join(labsDir, id);
  if (!existsSync(join(dir, 'lab.json'))) {
    const known = await listLabIds(labsDir);
    stderr.write(`virtlab: no lab "${id}" in ${labsDir}. ${known.length > 0 ? `Labs there: ${known.join(', ')}.` : 'That folder has no labs; point --labs-dir at the folder that holds them.'}\n`);
    return EXIT.usage;
  }
  try {
    return await loadLab(dir);
  } catch (error) {
    if (error instanceof LabError) {
      stderr.write(`virtlab: the lab is broken: ${error.message}\n`);
      return EXIT.labOrGrader;
    }
    throw error;
  }
}

/** The submissions under `paths`, or the usage exit code after saying which path was wrong. */
export async function readSubmissionsForCli(paths: readonly string[], manifest: LabManifest, stderr: NodeJS.WritableStream): Promise<SubmissionInput[] | number> {
  try {
    return await readSubmissions(paths, manifest);
  } catch (error) {
    if (error instanceof InputError) {
      stderr.write(`virtlab: ${singleLine(error.message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
