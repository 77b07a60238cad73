/** Build-time validation shared by the quiz components. */
import { generators } from '../../quiz/generators/index.ts';
import { validateQuestion } from '../../quiz/schema.ts';
import type { QuestionSpec } from '../../quiz/types.ts';

const knownGenerators = new Set(generators.keys());

/** Validates a question component's props; throws with the lesson file and reason if malformed. */
export function questionFromProps(kind: QuestionSpec['kind'], props: Record<string, unknown>, source: string | undefined): QuestionSpec {
  return validateQuestion({ ...props, kind }, source ?? 'a lesson', knownGenerators);
}

let counter = 0;
/** A DOM id unique within a build (deterministic, unlike random ids, so builds are reproducible). */
export function nextDomId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
