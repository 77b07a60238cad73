/**
 * Validation of what a sandbox process sends back. The parent trusts nothing else a sandbox
 * produces (stdout is ignored), and even these messages are checked and bounded, so a process
 * that an attacker somehow took over still cannot crash the grader or smuggle in odd shapes.
 */
import { z } from 'zod';
import type { SessionEvent } from '../core/protocol.ts';

const text = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative();
const verdict = z.enum(['passed', 'failed', 'error', 'timeout', 'memory', 'output-limit', 'crashed', 'not-run']);
const visibility = z.enum(['public', 'hidden']);

const diagnostic = z.object({
  kind: z.enum(['syntax', 'type', 'import', 'missing-export', 'load', 'file', 'collect']),
  message: text(10_000),
  file: text(500).optional(),
  line: count.optional(),
  column: count.optional(),
  blocking: z.boolean(),
  testFiles: z.array(text(500)).max(100).optional(),
  verdict: z.enum(['timeout', 'memory', 'crashed']).optional(),
});

const testInfo = z.object({
  index: count,
  name: text(1000),
  fullName: text(3000),
  file: text(500),
  visibility,
  points: count,
  timeoutMs: z.number().positive(),
});

const outcome = z.object({
  verdict,
  message: text(20_000),
  location: text(1000).optional(),
  // Output is bounded by the lab's limit inside the runtime; this is a backstop.
  output: text(16 * 1024 * 1024),
  durationMs: z.number().nonnegative(),
  attachments: z.array(z.object({ name: text(200), data: z.unknown() })).max(1000).optional(),
});

const sessionEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tests'), report: z.object({ tests: z.array(testInfo).max(10_000), problem: text(20_000).optional() }) }),
  z.object({ type: z.literal('loaded'), report: z.object({ diagnostics: z.array(diagnostic).max(1000), output: text(16 * 1024 * 1024) }) }),
  z.object({ type: z.literal('start'), index: count, timeoutMs: z.number().positive() }),
  z.object({ type: z.literal('overflow'), index: count }),
  z.object({ type: z.literal('filling-heap'), index: count }),
  z.object({ type: z.literal('result'), index: count, outcome }),
  z.object({ type: z.literal('done'), peakMemoryBytes: z.number().nonnegative().optional() }),
  z.object({ type: z.literal('fatal'), message: text(20_000) }),
]);

/** The event, or null when `message` is not a well-formed session event. */
export function parseSessionEvent(message: unknown): SessionEvent | null {
  const parsed = sessionEvent.safeParse(message);
  return parsed.success ? (parsed.data as SessionEvent) : null;
}
