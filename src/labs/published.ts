/**
 * Which labs this build publishes: the host's choice, so an instructor can hold a lab back (say,
 * until the deadline of the lab whose answer it reveals) while a self-paced site shows them all.
 * Set by VIRTLAB_LABS, a comma-separated list of lab ids; unset means every lab. Labs left out get
 * no page, no entry in any list and no files in the build (public-files.ts never reads them).
 */

/** The environment variable that holds the host's choice. */
export const PUBLISHED_LABS_VARIABLE = 'VIRTLAB_LABS';

/**
 * The lab ids to publish, in the order of `available`. `setting` undefined means all of them;
 * otherwise it must name at least one lab, and only labs that exist, or this throws saying which.
 */
export function choosePublishedLabs(setting: string | undefined, available: readonly string[]): string[] {
  if (setting === undefined) return [...available];
  const valid = available.length > 0 ? available.join(', ') : '(none: no lab folder has a lab.json)';
  const chosen = setting
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (chosen.length === 0) {
    throw new Error(`${PUBLISHED_LABS_VARIABLE} is set but names no lab. List the lab ids to publish, separated by commas, or unset it to publish every lab. Valid ids: ${valid}.`);
  }
  const unknown = [...new Set(chosen.filter((id) => !available.includes(id)))];
  if (unknown.length > 0) {
    const names = unknown.map((id) => `"${id}"`).join(', ');
    throw new Error(`${PUBLISHED_LABS_VARIABLE} names ${unknown.length === 1 ? 'an unknown lab' : 'unknown labs'}: ${names}. Valid ids: ${valid}.`);
  }
  return available.filter((id) => chosen.includes(id));
}
