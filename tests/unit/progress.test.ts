import { describe, expect, test } from 'vitest';
import { labStandingLabel, lessonStanding, memoryStorage, PROGRESS_SCHEMA_VERSION, ProgressStore, type QuestionProgress, type StorageLike } from '../../src/lib/progress.ts';

const prefix = `virtlab.progress.v${PROGRESS_SCHEMA_VERSION}.`;
const fixedNow = () => new Date('2026-01-02T03:04:05Z');

function freshStore(storage: StorageLike = memoryStorage(), seed = 42) {
  return new ProgressStore(storage, { now: fixedNow, randomSeed: () => seed });
}

describe('progress store', () => {
  test('keeps the best quiz score and counts attempts', () => {
    const store = freshStore();
    store.recordQuizScore('q', 3, 5);
    store.recordQuizScore('q', 5, 5);
    store.recordQuizScore('q', 2, 5);
    expect(store.quiz('q')).toEqual({ best: 5, total: 5, attempts: 3, updatedAt: '2026-01-02T03:04:05.000Z' });
  });

  test('the learner seed is created once and then stable', () => {
    const storage = memoryStorage();
    expect(freshStore(storage, 7).seed).toBe(7);
    expect(freshStore(storage, 99).seed).toBe(7);
  });

  test('a lab that passed stays passing', () => {
    const store = freshStore();
    store.recordLab('jail', 'passing', 10, 10);
    expect(store.recordLab('jail', 'in-progress', 4, 10).status).toBe('passing');
  });

  test('stores items under a versioned key, one key per item', () => {
    const storage = memoryStorage();
    freshStore(storage).recordQuizScore('q', 1, 2);
    expect(storage.getItem(`${prefix}quiz.q`)).not.toBeNull();
  });

  test('a corrupt item is reported and reset on its own; the rest survives', () => {
    const storage = memoryStorage();
    const first = freshStore(storage);
    first.recordQuizScore('good', 4, 5);
    first.markLessonVisited('01-intro');
    storage.setItem(`${prefix}quiz.bad`, '{not json');
    storage.setItem(`${prefix}lesson.02-why`, JSON.stringify({ visitedAt: 12 }));

    const store = freshStore(storage);
    const snapshot = store.snapshot();
    expect(snapshot.quizzes).toEqual({ good: expect.objectContaining({ best: 4 }) });
    expect(Object.keys(snapshot.lessons)).toEqual(['01-intro']);
    expect(store.problems).toHaveLength(2);
    expect(store.problems.join(' ')).toMatch(/quiz\.bad.*reset/);
    expect(storage.getItem(`${prefix}quiz.bad`)).toBeNull();
  });

  test('storage that throws does not crash the page', () => {
    const hostile: StorageLike = {
      length: 0,
      key: () => null,
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const store = freshStore(hostile);
    expect(() => store.recordQuizScore('q', 1, 1)).not.toThrow();
    expect(store.problems[0]).toMatch(/could not be saved/);
  });

  test('export then import into an empty browser restores everything', () => {
    const original = freshStore();
    original.recordQuizScore('q1', 3, 5);
    original.markLessonVisited('01-intro');
    original.recordLab('consolidate', 'in-progress', 2, 10);
    const exported = original.exportJson();

    const restored = freshStore(memoryStorage(), 1);
    expect(restored.importJson(exported)).toEqual({ ok: true, imported: 3 });
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

  test('import merges: the better score is kept and nothing saved is lost', () => {
    const mine = freshStore();
    expect(mine.seed).toBe(42); // this browser already has its own seed: the import must not replace it
    mine.recordQuizScore('q1', 5, 5);
    mine.recordQuizScore('q2', 1, 5);
    const other = freshStore(memoryStorage(), 9);
    other.recordQuizScore('q1', 2, 5);
    other.recordQuizScore('q3', 4, 5);
    expect(mine.importJson(other.exportJson()).ok).toBe(true);
    const quizzes = mine.snapshot().quizzes;
    expect(quizzes['q1']?.best).toBe(5);
    expect(quizzes['q2']?.best).toBe(1);
    expect(quizzes['q3']?.best).toBe(4);
    expect(mine.seed).toBe(42);
  });

  test.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['a foreign JSON file', JSON.stringify({ name: 'package' }), /not a virtlab progress export/],
    ['a newer version', JSON.stringify({ format: 'virtlab-progress', version: 99, progress: {} }), /newer virtlab/],
    [
      'a damaged export',
      JSON.stringify({ format: 'virtlab-progress', version: 1, progress: { seed: 1, quizzes: { q: { best: 'x' } }, lessons: {}, labs: {} } }),
      /damaged/,
    ],
  ])('refuses %s with a clear message and changes nothing', (_label, text, message) => {
    const store = freshStore();
    store.recordQuizScore('kept', 2, 3);
    const before = store.exportJson();
    const result = store.importJson(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
    expect(!result.ok && result.error).toMatch(/Nothing was changed/);
    expect(store.exportJson()).toBe(before);
  });

  test('clear forgets only virtlab progress', () => {
    const storage = memoryStorage();
    storage.setItem('someone-else', 'keep me');
    const store = freshStore(storage);
    store.recordQuizScore('q', 1, 1);
    store.clear();
    expect(store.quiz('q')).toBeUndefined();
    expect(storage.getItem('someone-else')).toBe('keep me');
  });
});

describe('progress store: seeds and labs across browsers', () => {
  test('showing the progress page does not invent a seed, so an import restores the exported one', () => {
    const original = freshStore(memoryStorage(), 99);
    original.recordQuizScore('q', 1, 2);
    const exported = original.exportJson();
    const fresh = freshStore(memoryStorage(), 7);
    fresh.snapshot(); // what the progress page does on load
    expect(fresh.importJson(exported).ok).toBe(true);
    expect(fresh.seed).toBe(99);
  });

  test('a lab keeps its best public score next to the last run, and an import keeps the better one', () => {
    const store = freshStore();
    store.recordLab('jail', 'passing', 10, 10);
    expect(store.recordLab('jail', 'in-progress', 2, 10)).toMatchObject({ status: 'passing', publicScore: 2, bestPublicScore: 10 });
    const other = freshStore(memoryStorage(), 5);
    other.recordLab('consolidate', 'in-progress', 1, 10);
    store.recordLab('consolidate', 'in-progress', 9, 10);
    expect(store.importJson(other.exportJson()).ok).toBe(true);
    expect(store.lab('consolidate')?.bestPublicScore).toBe(9);
  });
});

describe('progress store: the current quiz attempt', () => {
  const attempt: Record<string, QuestionProgress> = {
    single: { answer: 2, verdict: 'correct', revealed: false },
    multi: { answer: [0, 3], verdict: 'wrong', revealed: false },
    numeric: { answer: '12 ms', verdict: 'wrong', revealed: true },
    ordering: { answer: ['b', 'a', 'c'], verdict: 'wrong', revealed: false },
    matching: { answer: { jail: 'FreeBSD' }, verdict: 'correct', revealed: false },
    blank: { verdict: 'unanswered', revealed: true },
  };

  test('keeps the last answers, verdicts and reveals, and only checks count as checks', () => {
    const store = freshStore();
    store.recordQuizScore('q', 2, 6, attempt);
    store.recordQuizScore('q', 1, 6, { ...attempt, single: { verdict: 'unanswered', revealed: false } }, { countsAsCheck: false });
    const saved = store.quiz('q')!;
    expect(saved.attempts).toBe(1);
    expect(saved.best).toBe(2);
    expect(saved.questions?.['single']).toEqual({ verdict: 'unanswered', revealed: false });
    expect(saved.questions?.['numeric']).toEqual(attempt.numeric);
    expect(saved.questions?.['matching']).toEqual(attempt.matching);
  });

  test('a score without answers keeps the saved answers', () => {
    const store = freshStore();
    store.recordQuizScore('q', 2, 6, attempt);
    store.recordQuizScore('q', 3, 6);
    expect(store.quiz('q')?.questions).toEqual(attempt);
  });

  test('travel through export and import', () => {
    const original = freshStore();
    original.recordQuizScore('q', 2, 6, attempt);
    const restored = freshStore(memoryStorage(), 1);
    expect(restored.importJson(original.exportJson()).ok).toBe(true);
    expect(restored.quiz('q')?.questions).toEqual(attempt);
  });

  test('an older export without answers still imports, and keeps answers already saved here', () => {
    const old = JSON.stringify({
      format: 'virtlab-progress',
      version: 1,
      progress: { seed: 5, quizzes: { q: { best: 4, total: 6, attempts: 9, updatedAt: '2025-01-01T00:00:00.000Z' } }, lessons: {}, labs: {} },
    });
    const fresh = freshStore(memoryStorage(), 1);
    expect(fresh.importJson(old)).toEqual({ ok: true, imported: 1 });
    expect(fresh.quiz('q')).toEqual({ best: 4, total: 6, attempts: 9, updatedAt: '2025-01-01T00:00:00.000Z' });

    const mine = freshStore();
    mine.recordQuizScore('q', 2, 6, attempt);
    expect(mine.importJson(old).ok).toBe(true);
    expect(mine.quiz('q')).toMatchObject({ best: 4, attempts: 9, questions: attempt });
  });

  test('a damaged answer is refused on import and reset when read', () => {
    const store = freshStore();
    const damaged = JSON.stringify({
      format: 'virtlab-progress',
      version: 1,
      progress: { seed: 5, quizzes: { q: { best: 1, total: 6, attempts: 1, updatedAt: '2025-01-01T00:00:00.000Z', questions: { a: { verdict: 'maybe', revealed: false } } } }, lessons: {}, labs: {} },
    });
    const result = store.importJson(damaged);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/damaged \(at "progress\.quizzes\.q\.questions\.a\.verdict"/);

    const storage = memoryStorage();
    storage.setItem(`${prefix}quiz.q`, JSON.stringify({ best: 1, total: 6, attempts: 1, updatedAt: '2025-01-01T00:00:00.000Z', questions: { a: { answer: { x: 1 }, verdict: 'wrong', revealed: false } } }));
    const reader = freshStore(storage);
    expect(reader.quiz('q')).toBeUndefined();
    expect(reader.problems).toEqual(['Saved progress "quiz.q" was damaged and has been reset.']);
  });
});

describe('lesson standing', () => {
  const quiz = (best: number) => ({ best, total: 5, attempts: 3, updatedAt: '2025-01-01T00:00:00.000Z' });
  test('done only when the closing quiz was fully answered; opened otherwise', () => {
    expect(lessonStanding(undefined, undefined)).toBe('not-opened');
    expect(lessonStanding({ visitedAt: '2025-01-01T00:00:00.000Z' }, undefined)).toBe('opened');
    expect(lessonStanding({ visitedAt: '2025-01-01T00:00:00.000Z' }, quiz(4))).toBe('opened');
    expect(lessonStanding(undefined, quiz(5))).toBe('done');
  });
  test('labs are described by their status', () => {
    expect(labStandingLabel(undefined)).toBe('Not started');
    expect(labStandingLabel({ status: 'in-progress', updatedAt: '2025-01-01T00:00:00.000Z' })).toBe('In progress');
    expect(labStandingLabel({ status: 'passing', updatedAt: '2025-01-01T00:00:00.000Z' })).toBe('Public tests passing');
  });
});

describe('progress store: explorable predictions', () => {
  const at = (iso: string) => () => new Date(iso);

  test('records the prediction, then the run after it, with no score', () => {
    const storage = memoryStorage();
    const store = new ProgressStore(storage, { now: at('2026-03-01T10:00:00Z'), randomSeed: () => 1 });
    expect(store.recordPredictionRun('x')).toBeUndefined(); // a run without a prediction records nothing
    expect(store.prediction('x')).toBeUndefined();
    store.recordPrediction('x', 'zero');
    expect(store.prediction('x')).toEqual({ choice: 'zero', predictedAt: '2026-03-01T10:00:00.000Z' });
    const later = new ProgressStore(storage, { now: at('2026-03-01T10:05:00Z'), randomSeed: () => 1 });
    expect(later.recordPredictionRun('x')).toEqual({ choice: 'zero', predictedAt: '2026-03-01T10:00:00.000Z', ranAt: '2026-03-01T10:05:00.000Z' });
    // A second run keeps the first run's time; the same choice again keeps the record.
    const laterStill = new ProgressStore(storage, { now: at('2026-03-01T11:00:00Z'), randomSeed: () => 1 });
    expect(laterStill.recordPredictionRun('x')?.ranAt).toBe('2026-03-01T10:05:00.000Z');
    expect(laterStill.recordPrediction('x', 'zero').ranAt).toBe('2026-03-01T10:05:00.000Z');
    expect(laterStill.snapshot().quizzes).toEqual({});
  });

  test('keeps the words the learner saw, cut to a bounded length; a save without them stays valid', () => {
    const store = freshStore();
    store.recordPrediction('x', 'zero');
    expect(store.prediction('x')).not.toHaveProperty('answer');
    const words = { lesson: '05-hypervisors', title: 'popf under a monitor', question: 'What does the guest print?', answer: '0: the flag is lost' };
    store.recordPrediction('x', 'zero', words);
    expect(store.prediction('x')).toMatchObject({ choice: 'zero', ...words });
    store.recordPrediction('x', 'one', { answer: 'y'.repeat(5000), question: '' });
    const changed = store.prediction('x')!;
    expect(changed.answer).toHaveLength(2000);
    expect(changed).not.toHaveProperty('question'); // a new choice keeps only its own words
    expect(store.snapshot().predictions['x']).toEqual(changed); // still valid when read back
    expect(store.problems).toEqual([]);
  });

  test('a changed prediction waits for a new run', () => {
    const store = freshStore();
    store.recordPrediction('x', 'zero');
    store.recordPredictionRun('x');
    expect(store.prediction('x')?.ranAt).toBeDefined();
    expect(store.recordPrediction('x', 'one')).toEqual({ choice: 'one', predictedAt: '2026-01-02T03:04:05.000Z' });
  });

  test('predictions travel in the export and come back on import', () => {
    const original = freshStore();
    original.recordPrediction('trap-and-emulate', 'zero');
    original.recordPredictionRun('trap-and-emulate');
    const exported = JSON.parse(original.exportJson()) as { version: number; progress: { predictions: unknown } };
    expect(exported.version).toBe(PROGRESS_SCHEMA_VERSION);
    expect(exported.progress.predictions).toEqual({ 'trap-and-emulate': original.prediction('trap-and-emulate') });
    const restored = freshStore(memoryStorage(), 1);
    expect(restored.importJson(JSON.stringify(exported))).toEqual({ ok: true, imported: 1 });
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

  test('an export made before predictions existed still imports', () => {
    const older = JSON.stringify({
      format: 'virtlab-progress',
      version: 1,
      exportedAt: '2025-11-01T00:00:00.000Z',
      progress: { seed: 5, quizzes: { q: { best: 2, total: 3, attempts: 1, updatedAt: '2025-11-01T00:00:00.000Z' } }, lessons: {}, labs: {} },
    });
    const store = freshStore(memoryStorage(), 1);
    expect(store.importJson(older)).toEqual({ ok: true, imported: 1 });
    expect(store.snapshot().predictions).toEqual({});
    expect(store.quiz('q')?.best).toBe(2);
  });

  test('on import the later prediction stands; a damaged one refuses the file', () => {
    const mine = new ProgressStore(memoryStorage(), { now: at('2026-03-02T00:00:00Z'), randomSeed: () => 1 });
    mine.recordPrediction('x', 'one');
    const other = new ProgressStore(memoryStorage(), { now: at('2026-03-01T00:00:00Z'), randomSeed: () => 2 });
    other.recordPrediction('x', 'zero');
    other.recordPredictionRun('x');
    other.recordPrediction('y', 'zero');
    expect(mine.importJson(other.exportJson()).ok).toBe(true);
    expect(mine.prediction('x')?.choice).toBe('one');
    expect(mine.prediction('y')?.choice).toBe('zero');
    const damaged = JSON.parse(other.exportJson()) as { progress: { predictions: Record<string, unknown> } };
    damaged.progress.predictions['x'] = { choice: '', predictedAt: 'soon' };
    const result = mine.importJson(JSON.stringify(damaged));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/predictions\.x/);
  });

  test('a damaged saved prediction is reset on its own and reported', () => {
    const storage = memoryStorage();
    storage.setItem(`${prefix}prediction.x`, JSON.stringify({ choice: 3 }));
    const store = freshStore(storage);
    store.recordPrediction('y', 'one');
    expect(store.snapshot().predictions).toEqual({ y: expect.objectContaining({ choice: 'one' }) });
    expect(store.problems.join(' ')).toMatch(/prediction\.x.*reset/);
  });
});
