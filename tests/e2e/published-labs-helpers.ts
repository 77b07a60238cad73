/**
 * What the build-output checks share (hidden-guard.spec.ts, published-labs.spec.ts): walking a
 * build, and the forms a text takes once published.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPublicTestFile } from '../../grader/core/lab-format.ts';

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * A text as it may appear in a build: raw, or inside a JSON island (as lab pages embed their
 * files: quotes, backslashes and newlines escaped, and "<" written as \u003c).
 */
export function publishedForms(text: string): string[] {
  const escaped = JSON.stringify(text).slice(1, -1);
  return [...new Set([text, escaped, escaped.replace(/</g, '\\u003c')])];
}

/** The files of a lab folder that a build may publish: starter, public tests, instructions. */
export function publicFilesOf(labDir: string): string[] {
  const tests = filesUnder(join(labDir, 'tests')).filter((path) => isPublicTestFile(path.split('/').pop()!));
  return [...filesUnder(join(labDir, 'starter')), ...tests, join(labDir, 'instructions.mdx')].filter((path) => existsSync(path));
}

/** Lines worth searching for: long enough to be distinctive, and not imports or comments. */
export function distinctiveLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 24 && !line.startsWith('import ') && !line.startsWith('//') && !line.startsWith('*'));
}
