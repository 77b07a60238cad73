/**
 * Build-time schemas for the props of the quiz components in MDX. A malformed question fails
 * the build with the lesson file, the question id and the reason (see `validateQuestion`).
 */
import { z } from 'zod';
import type { QuestionSpec } from './types.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are kebab-case: lowercase letters, digits and dashes');
const text = z.string().trim().min(1, 'must not be empty');

const option = z.strictObject({ text, correct: z.boolean().optional(), explain: text });

const single = z
  .strictObject({ kind: z.literal('single'), id, options: z.array(option).min(2), explanation: text })
  .refine((q) => q.options.filter((o) => o.correct).length === 1, 'a SingleChoice needs exactly one option with correct: true');

const multi = z
  .strictObject({ kind: z.literal('multi'), id, options: z.array(option).min(2), explanation: text })
  .refine((q) => q.options.some((o) => o.correct), 'a MultiSelect needs at least one option with correct: true');

const numeric = z
  .strictObject({
    kind: z.literal('numeric'),
    id,
    answer: z.number().finite().optional(),
    tolerance: z.number().min(0).optional(),
    relative: z.boolean().optional(),
    unit: z.string().optional(),
    explanation: text.optional(),
    generator: id.optional(),
  })
  .refine(
    (q) => (q.generator === undefined) !== (q.answer === undefined),
    'a Numeric needs either answer={…} (a fixed question) or generator="…" (a generated one), not both',
  )
  .refine((q) => q.generator !== undefined || q.explanation !== undefined, 'a fixed Numeric needs an explanation');

const unique = (values: string[]) => new Set(values).size === values.length;

const ordering = z
  .strictObject({ kind: z.literal('ordering'), id, items: z.array(text).min(3), explanation: text })
  .refine((q) => unique(q.items), 'Ordering items must be distinct');

const matching = z
  .strictObject({
    kind: z.literal('matching'),
    id,
    pairs: z.array(z.strictObject({ left: text, right: text })).min(3),
    explanation: text,
  })
  .refine((q) => unique(q.pairs.map((p) => p.left)) && unique(q.pairs.map((p) => p.right)), 'Matching sides must be distinct');

const question = z.discriminatedUnion('kind', [single, multi, numeric, ordering, matching]);

/** Thrown for a malformed question; its message names the file, the question and the reason. */
export class QuestionError extends Error {
  override name = 'QuestionError';
}

/**
 * Validates a question's props.
 * @param source the lesson file, for the error message
 * @param knownGenerators names of registered generators, to catch a typo at build time
 */
export function validateQuestion(
  props: Record<string, unknown>,
  source: string,
  knownGenerators: ReadonlySet<string>,
): QuestionSpec {
  const { children: _children, ...rest } = props;
  const label = `${source}: question "${String(props['id'] ?? '(no id)')}" (${String(props['kind'])})`;
  const result = question.safeParse(rest);
  if (!result.success) {
    const reasons = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`);
    throw new QuestionError(`${label} is malformed: ${reasons.join('; ')}`);
  }
  const spec = result.data as QuestionSpec;
  if (spec.kind === 'numeric' && spec.generator !== undefined && !knownGenerators.has(spec.generator)) {
    throw new QuestionError(
      `${label} uses generator "${spec.generator}", which no file in src/quiz/generators/ defines. Known: ${[...knownGenerators].join(', ') || 'none'}.`,
    );
  }
  return spec;
}
