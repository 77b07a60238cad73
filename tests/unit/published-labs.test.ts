import { describe, expect, test } from 'vitest';
import { choosePublishedLabs } from '../../src/labs/published.ts';
import { readPublicLabs } from '../../src/labs/public-files.ts';

const AVAILABLE = ['consolidate', 'jail', 'trap-and-emulate'];

describe('choosePublishedLabs (VIRTLAB_LABS)', () => {
  test('unset publishes every lab', () => {
    expect(choosePublishedLabs(undefined, AVAILABLE)).toEqual(AVAILABLE);
  });

  test('a list publishes exactly those labs, in course order, whatever the spacing, order or repeats', () => {
    expect(choosePublishedLabs('jail,consolidate', AVAILABLE)).toEqual(['consolidate', 'jail']);
    expect(choosePublishedLabs(' trap-and-emulate , jail,,jail ', AVAILABLE)).toEqual(['jail', 'trap-and-emulate']);
  });

  test('an unknown id is refused, naming it and listing the valid ids', () => {
    expect(() => choosePublishedLabs('jail,shadow-paging', AVAILABLE)).toThrow(
      'VIRTLAB_LABS names an unknown lab: "shadow-paging". Valid ids: consolidate, jail, trap-and-emulate.',
    );
    expect(() => choosePublishedLabs('Jail,jial,jial', AVAILABLE)).toThrow('VIRTLAB_LABS names unknown labs: "Jail", "jial". Valid ids:');
  });

  test('a setting that names no lab is refused, saying how to publish all', () => {
    for (const setting of ['', ' ', ',,']) expect(() => choosePublishedLabs(setting, AVAILABLE)).toThrow(/names no lab.*unset it to publish every lab.*Valid ids: consolidate, jail, trap-and-emulate/);
  });

  test('with no labs at all, the error says so instead of listing nothing', () => {
    expect(() => choosePublishedLabs('jail', [])).toThrow('Valid ids: (none: no lab folder has a lab.json).');
  });
});

describe('readPublicLabs follows the setting', () => {
  test('reads only the chosen labs of the real labs folder', async () => {
    const labs = await readPublicLabs('./labs', 'jail');
    expect(labs.map((lab) => lab.id)).toEqual(['jail']);
    expect(Object.keys(labs[0]!.starter).length).toBeGreaterThan(0);
  });

  test('refuses an unknown id before reading any lab', async () => {
    await expect(readPublicLabs('./tests/fixtures/labs', 'hello,goodbye')).rejects.toThrow('VIRTLAB_LABS names an unknown lab: "goodbye". Valid ids: hello.');
  });
});
