// Hidden tests of lab 4: the same properties on guests the public tests do not show.
import { describe, test } from '@virtlab/test';
import { handleExit, scanPage } from '../starter/translate.ts';
import { compare, expectSame, type Monitor } from './check.ts';

/** Your monitor, looked up when a test runs (not while tests are collected). */
const translator = (): Monitor => ({ handleExit, scanner: scanPage });

describe('placeholder', () => {
  test('tour', { points: 1, timeoutMs: 10000 }, () => {
    expectSame('x', compare('    li sp, 0x8000\n    pushf\n    halt', translator()).differences);
  });
});
