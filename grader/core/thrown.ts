/**
 * Describing whatever a test threw, safely. Learner code can throw anything: `null`, a Proxy, an
 * object whose `message` getter throws or whose `toString` is poisoned. Every read here is
 * guarded, so describing a failure can never turn it into a pass or crash the harness.
 */
import { SOURCE_URL_PREFIX } from './registry.ts';

const MAX_MESSAGE = 4000;

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}… (${text.length - MAX_MESSAGE} more characters not shown)` : text;
}

/** Reads `object[key]` as a string, or undefined if it is missing, not a string or throws. */
function readString(object: object, key: string): string | undefined {
  try {
    const value: unknown = (object as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A one-line-or-more human description of a thrown value. */
export function describeThrown(thrown: unknown): string {
  if (thrown === null) return 'threw null (throw an Error with a message instead)';
  if (thrown === undefined) return 'threw undefined (throw an Error with a message instead)';
  if (typeof thrown === 'string') return clip(`threw the string "${thrown}"`);
  if (typeof thrown === 'symbol') return clip(`threw a symbol ${thrown.description ?? ''}`);
  if (typeof thrown !== 'object' && typeof thrown !== 'function') return clip(`threw ${typeof thrown} ${String(thrown)}`);
  const name = readString(thrown, 'name');
  const message = readString(thrown, 'message');
  if (message !== undefined) return clip(name === undefined || name === '' ? message : `${name}: ${message}`);
  if (name !== undefined) return clip(`threw ${name} without a message`);
  return 'threw an object that is not an Error (throw an Error with a message instead)';
}

/**
 * The first lab file position in a thrown value's stack, e.g. `starter/solution.ts:12`.
 * @param preferLearner look for a `starter/` frame first (for errors in learner code)
 */
export function locateThrown(thrown: unknown, preferLearner: boolean): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const stack = readString(thrown, 'stack');
  if (stack === undefined) return undefined;
  const frames: string[] = [];
  const pattern = new RegExp(`${SOURCE_URL_PREFIX.replace(/[/.]/g, '\\$&')}([\\w./-]+\\.ts):(\\d+):(\\d+)`, 'g');
  // Only the line: sucrase keeps lines but not columns (it rewrites imported names).
  for (const match of stack.slice(0, 20_000).matchAll(pattern)) frames.push(`${match[1]}:${match[2]}`);
  if (preferLearner) {
    const learnerFrame = frames.find((frame) => frame.startsWith('starter/'));
    if (learnerFrame !== undefined) return learnerFrame;
  }
  return frames[0];
}
