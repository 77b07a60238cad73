import { describe, expect, test } from 'vitest';
import { CodeStore } from '../../src/workbench/autosave.ts';
import { memoryStorage } from '../../src/lib/progress.ts';

const starter = { 'solution.ts': 'export function f() { return 0; }', 'fleet.ts': 'export const fleet = [];' };
const edited = { ...starter, 'solution.ts': 'export function f() { return 42; }' };

describe('lab code autosave', () => {
  test('a new learner gets the starter', () => {
    const loaded = new CodeStore(memoryStorage()).load('jail', 1, starter);
    expect(loaded).toEqual({ files: starter, origin: 'starter', canUndoReset: false });
  });

  test('saved code survives a new store (a reload)', () => {
    const storage = memoryStorage();
    new CodeStore(storage).save('jail', 1, edited);
    expect(new CodeStore(storage).load('jail', 1, starter)).toMatchObject({ files: edited, origin: 'saved' });
  });

  test('labs and versions are kept apart', () => {
    const storage = memoryStorage();
    const store = new CodeStore(storage);
    store.save('jail', 1, edited);
    expect(store.load('consolidate', 1, starter).origin).toBe('starter');
  });

  test('a reset stays reset after a reload, and can be undone', () => {
    const storage = memoryStorage();
    const store = new CodeStore(storage);
    store.save('jail', 1, edited);
    store.reset('jail', 1, starter, edited);
    const afterReload = new CodeStore(storage).load('jail', 1, starter);
    expect(afterReload.files).toEqual(starter);
    expect(afterReload.canUndoReset).toBe(true);
    expect(new CodeStore(storage).undoReset('jail', 1)).toEqual(edited);
    expect(new CodeStore(storage).load('jail', 1, starter)).toMatchObject({ files: edited, canUndoReset: false });
  });

  test('editing after a reset gives up its undo, so new work is never thrown away', () => {
    const storage = memoryStorage();
    const store = new CodeStore(storage);
    store.save('jail', 1, edited);
    store.reset('jail', 1, starter, edited);
    store.save('jail', 1, starter); // an autosave of the unchanged reset keeps the undo
    expect(new CodeStore(storage).load('jail', 1, starter).canUndoReset).toBe(true);
    const newWork = { ...starter, 'solution.ts': 'an hour of new work' };
    store.save('jail', 1, newWork);
    expect(new CodeStore(storage).load('jail', 1, starter)).toMatchObject({ files: newWork, canUndoReset: false });
    expect(store.undoReset('jail', 1)).toBeUndefined();
    expect(new CodeStore(storage).load('jail', 1, starter).files).toEqual(newWork);
  });

  test('undo with nothing to undo changes nothing', () => {
    const store = new CodeStore(memoryStorage());
    store.save('jail', 1, edited);
    expect(store.undoReset('jail', 1)).toBeUndefined();
    expect(store.load('jail', 1, starter).files).toEqual(edited);
  });

  test('code for an older lab version is offered, not dropped, when the starter changes', () => {
    const storage = memoryStorage();
    new CodeStore(storage, () => new Date('2026-01-01T00:00:00Z')).save('jail', 1, edited);
    const loaded = new CodeStore(storage).load('jail', 2, starter);
    expect(loaded.origin).toBe('starter');
    expect(loaded.older).toEqual({ version: 1, files: edited, savedAt: '2026-01-01T00:00:00.000Z' });
  });

  test('a file added to the starter in a later save appears alongside saved files', () => {
    const storage = memoryStorage();
    new CodeStore(storage).save('jail', 1, { 'solution.ts': 'mine' });
    expect(new CodeStore(storage).load('jail', 1, starter).files).toEqual({ ...starter, 'solution.ts': 'mine' });
  });

  test('damaged saved code is moved aside (not deleted) and reported', () => {
    const storage = memoryStorage();
    storage.setItem('virtlab.code.v1.jail', '{"versions": {"1": {"files": "oops"');
    const store = new CodeStore(storage, () => new Date(1000));
    expect(store.load('jail', 1, starter).origin).toBe('starter');
    expect(store.problems[0]).toMatch(/damaged/);
    expect(storage.getItem('virtlab.code.v1.jail.damaged.1000')).toContain('oops');
  });

  test('a full storage is reported, not thrown', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const store = new CodeStore(storage);
    expect(store.save('jail', 1, edited)).toBe(false);
    expect(store.problems[0]).toMatch(/could not be saved/);
  });

  test('a replacement that cannot be stored says so (an import into a full storage is not silent)', () => {
    const storage = memoryStorage();
    const store = new CodeStore(storage);
    store.save('jail', 1, edited);
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(store.reset('jail', 1, starter, edited, 'import')).toBe(false);
    expect(store.problems.at(-1)).toMatch(/could not be saved/);
  });

  test('the undo remembers which action it takes back, across a reload', () => {
    const storage = memoryStorage();
    const store = new CodeStore(storage);
    store.save('jail', 1, edited);
    expect(store.reset('jail', 1, { ...starter, 'solution.ts': 'imported' }, edited, 'import')).toBe(true);
    expect(new CodeStore(storage).load('jail', 1, starter)).toMatchObject({ canUndoReset: true, undoAction: 'import' });
    store.reset('jail', 1, starter, edited);
    expect(new CodeStore(storage).load('jail', 1, starter)).toMatchObject({ canUndoReset: true, undoAction: 'reset' });
  });
});
