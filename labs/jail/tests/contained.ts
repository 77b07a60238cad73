/**
 * The check every jail test ends with: the kernel's own record shows the jail contained. Shared
 * by the public and hidden tests; failures list what the kernel recorded.
 */
import { expect } from '@virtlab/test';
import { containment, type JailWorld } from '../starter/world.ts';

/** Up to `max` items as text, then how many more there are (matchers cut long values short). */
export function someOf(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}

/** No breach, no policy error, the host's secret intact; `where` (the world, the case) leads each message. */
export function expectContained(world: JailWorld, where = ''): void {
  const lead = where === '' ? '' : `${where}: `;
  const seen = containment(world);
  expect(seen.breaches.length, `${lead}breaches the kernel recorded for the jail (${someOf(seen.breaches)})`).toBe(0);
  expect(seen.policyErrors.length, `${lead}policy hooks that threw or answered with a non-decision (${someOf(seen.policyErrors)})`).toBe(0);
  expect(seen.secretIntact, `${lead}the host's secret file ${world.secretPath} still holds the secret`).toBe(true);
}
