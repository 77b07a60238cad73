/**
 * The learner's progress, kept in localStorage behind this one module.
 *
 * Each item (a quiz score, a visited lesson, a lab's status, an explorable's prediction, the
 * learner's quiz seed) is its own
 * storage key under a versioned prefix, so one corrupt item is reported and reset on its own and
 * never takes the rest down or crashes a page. Export and import use a self-describing JSON file;
 * an import merges (best score wins) so nothing already saved is lost.
 */
import * as z from 'zod/mini';

/** Bump when an item's shape changes, and teach `migrateLegacy` how to read the old one. */
export const PROGRESS_SCHEMA_VERSION = 1;
const PREFIX = `virtlab.progress.v${PROGRESS_SCHEMA_VERSION}.`;
export const EXPORT_FORMAT = 'virtlab-progress';

/** The subset of the Web Storage API the store needs (so tests can pass a Map-backed fake). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const isoTime = z.string().check(z.minLength(10));
const count = z.number().check(z.int(), z.minimum(0));

/** A learner's answer as the question's controls hold it (see quiz/client.ts). */
const answerSchema = z.union([
  z.number(), // single choice: the option's index
  z.array(z.number()), // multiple select: the chosen indices
  z.string(), // numeric: the text typed
  z.array(z.string()), // ordering: the items as arranged
  z.record(z.string(), z.string()), // matching: left item -> chosen right item
]);
/** The last checked answer of one question, its verdict, and whether the learner asked to see the key. */
const questionSchema = z.object({
  answer: z.optional(answerSchema),
  verdict: z.enum(['correct', 'wrong', 'unanswered']),
  /** "Show answer" was used: the question counts as revealed, not solved, until the learner starts over. */
  revealed: z.boolean(),
});
const quizSchema = z.object({
  best: count,
  total: count.check(z.minimum(1)),
  attempts: count,
  updatedAt: isoTime,
  /** The current attempt, by question id, so a reload shows what the learner last answered. Absent in older exports. */
  questions: z.optional(z.record(z.string(), questionSchema)),
});
const lessonSchema = z.object({ visitedAt: isoTime });
const labSchema = z.object({
  status: z.enum(['in-progress', 'passing']),
  /** The last run's public score. */
  publicScore: z.optional(z.number().check(z.minimum(0))),
  /** The best public score ever reached. */
  bestPublicScore: z.optional(z.number().check(z.minimum(0))),
  publicTotal: z.optional(z.number().check(z.minimum(0))),
  updatedAt: isoTime,
});
const seedSchema = z.number().check(z.int());
/**
 * What a learner predicted before running an explorable, and when they then ran it. It earns no
 * points; it lets a lesson show the learner their own prediction again.
 */
/** Longest text kept with a prediction (longer ones are cut), so a page cannot fill the storage. */
const PREDICTION_TEXT_MAX = 2000;
const shortText = z.string().check(z.minLength(1), z.maxLength(PREDICTION_TEXT_MAX));
const predictionSchema = z.object({
  /** The id of the option the learner chose. */
  choice: z.string().check(z.minLength(1)),
  predictedAt: isoTime,
  /** Set by the first run after this prediction. */
  ranAt: z.optional(isoTime),
  /**
   * What the learner saw when they chose, for the progress page: the lesson's id, the
   * explorable's title, its question and the chosen answer's text. Optional: saves made before
   * these were kept have only the choice's id.
   */
  lesson: z.optional(shortText),
  title: z.optional(shortText),
  question: z.optional(shortText),
  answer: z.optional(shortText),
});

export type QuizProgress = z.infer<typeof quizSchema>;
export type SavedAnswer = z.infer<typeof answerSchema>;
export type QuestionProgress = z.infer<typeof questionSchema>;
export type LessonProgress = z.infer<typeof lessonSchema>;
export type LabProgress = z.infer<typeof labSchema>;
export type LabStatus = LabProgress['status'];
export type PredictionProgress = z.infer<typeof predictionSchema>;
/** The words of a prediction as the learner saw them (see predictionSchema). */
export type PredictionContext = Pick<PredictionProgress, 'lesson' | 'title' | 'question' | 'answer'>;

const itemSchemas = { quiz: quizSchema, lesson: lessonSchema, lab: labSchema, prediction: predictionSchema } as const;
type ItemKind = keyof typeof itemSchemas;

/** Everything the learner has, as exported. */
export interface ProgressSnapshot {
  /** Absent until the learner first sees a generated question (or exports). */
  seed?: number;
  quizzes: Record<string, QuizProgress>;
  lessons: Record<string, LessonProgress>;
  labs: Record<string, LabProgress>;
  /** By explorable id. */
  predictions: Record<string, PredictionProgress>;
}

const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number(),
  exportedAt: z.optional(z.string()),
  progress: z.object({
    seed: seedSchema,
    quizzes: z.record(z.string(), quizSchema),
    lessons: z.record(z.string(), lessonSchema),
    labs: z.record(z.string(), labSchema),
    /** Absent in exports made before explorables existed; they still import. */
    predictions: z.optional(z.record(z.string(), predictionSchema)),
  }),
});

export type ImportResult = { ok: true; imported: number } | { ok: false; error: string };

export class ProgressStore {
  readonly #storage: StorageLike;
  readonly #now: () => Date;
  readonly #randomSeed: () => number;
  /** Items found corrupt and reset since this store was opened, in words a learner understands. */
  readonly problems: string[] = [];

  constructor(storage: StorageLike, options: { now?: () => Date; randomSeed?: () => number } = {}) {
    this.#storage = storage;
    this.#now = options.now ?? (() => new Date());
    this.#randomSeed = options.randomSeed ?? defaultRandomSeed;
  }

  /** The learner's seed for generated quiz questions; created once, then stable. */
  get seed(): number {
    const stored = this.#read('seed', seedSchema);
    if (stored !== undefined) return stored;
    const seed = this.#randomSeed();
    this.#write('seed', seed);
    return seed;
  }

  quiz(id: string): QuizProgress | undefined {
    return this.#read(`quiz.${id}`, quizSchema);
  }

  /**
   * Records a checked answer: the current score (questions solved without "Show answer"), the best
   * ever reached, and the attempt's answers when given. `countsAsCheck: false` saves the answers
   * only (a reveal, a "Try again", a new attempt) without counting a check.
   */
  recordQuizScore(
    id: string,
    score: number,
    total: number,
    questions?: Record<string, QuestionProgress>,
    { countsAsCheck = true }: { countsAsCheck?: boolean } = {},
  ): QuizProgress {
    const previous = this.quiz(id);
    const next: QuizProgress = {
      best: Math.max(previous?.best ?? 0, score),
      total,
      attempts: (previous?.attempts ?? 0) + (countsAsCheck ? 1 : 0),
      updatedAt: this.#now().toISOString(),
      ...(questions ? { questions } : previous?.questions ? { questions: previous.questions } : {}),
    };
    this.#write(`quiz.${id}`, next);
    return next;
  }

  lesson(id: string): LessonProgress | undefined {
    return this.#read(`lesson.${id}`, lessonSchema);
  }

  markLessonVisited(id: string): void {
    if (!this.lesson(id)) this.#write(`lesson.${id}`, { visitedAt: this.#now().toISOString() });
  }

  lab(id: string): LabProgress | undefined {
    return this.#read(`lab.${id}`, labSchema);
  }

  /** A lab that once passed its public tests stays "passing", and its best score is kept. */
  recordLab(id: string, status: LabStatus, publicScore?: number, publicTotal?: number): LabProgress {
    const previous = this.lab(id);
    const best = Math.max(previous?.bestPublicScore ?? previous?.publicScore ?? 0, publicScore ?? 0);
    const next: LabProgress = {
      status: previous?.status === 'passing' ? 'passing' : status,
      updatedAt: this.#now().toISOString(),
      ...(publicScore !== undefined ? { publicScore, bestPublicScore: best } : previous?.publicScore !== undefined ? { publicScore: previous.publicScore, bestPublicScore: best } : {}),
      ...(publicTotal !== undefined ? { publicTotal } : previous?.publicTotal !== undefined ? { publicTotal: previous.publicTotal } : {}),
    };
    this.#write(`lab.${id}`, next);
    return next;
  }

  prediction(id: string): PredictionProgress | undefined {
    return this.#read(`prediction.${id}`, predictionSchema);
  }

  /** Records the learner's prediction and its words; a changed choice waits for a new run. */
  recordPrediction(id: string, choice: string, context: PredictionContext = {}): PredictionProgress {
    const previous = this.prediction(id);
    const words = Object.fromEntries(Object.entries(context).filter(([, text]) => text).map(([key, text]) => [key, text!.slice(0, PREDICTION_TEXT_MAX)])) as PredictionContext;
    const next: PredictionProgress =
      previous?.choice === choice ? { ...previous, ...words } : { choice, predictedAt: this.#now().toISOString(), ...words };
    this.#write(`prediction.${id}`, next);
    return next;
  }

  /** Marks the current prediction as run (predicted, then ran); without a prediction, nothing. */
  recordPredictionRun(id: string): PredictionProgress | undefined {
    const previous = this.prediction(id);
    if (!previous || previous.ranAt !== undefined) return previous;
    const next = { ...previous, ranAt: this.#now().toISOString() };
    this.#write(`prediction.${id}`, next);
    return next;
  }

  /** Every valid item; corrupt ones are reset and reported in `problems`. Creates nothing. */
  snapshot(): ProgressSnapshot {
    const seed = this.#read('seed', seedSchema);
    const snapshot: ProgressSnapshot = { ...(seed === undefined ? {} : { seed }), quizzes: {}, lessons: {}, labs: {}, predictions: {} };
    const targets = { quiz: snapshot.quizzes, lesson: snapshot.lessons, lab: snapshot.labs, prediction: snapshot.predictions } as Record<ItemKind, Record<string, unknown>>;
    for (const key of this.#ownKeys()) {
      const [kind, ...rest] = key.slice(PREFIX.length).split('.');
      const id = rest.join('.');
      if (!(kind! in itemSchemas) || id === '') continue;
      const value = this.#read<unknown>(`${kind}.${id}`, itemSchemas[kind as ItemKind] as z.ZodMiniType<unknown>);
      if (value !== undefined) targets[kind as ItemKind][id] = value;
    }
    return snapshot;
  }

  exportJson(): string {
    const { quizzes, lessons, labs, predictions } = this.snapshot();
    return JSON.stringify(
      { format: EXPORT_FORMAT, version: PROGRESS_SCHEMA_VERSION, exportedAt: this.#now().toISOString(), progress: { seed: this.seed, quizzes, lessons, labs, predictions } },
      null,
      2,
    );
  }

  /**
   * Merges an exported file into what is saved. A file that is not JSON, not a virtlab progress
   * export, or from a newer version is refused whole, and nothing saved changes.
   */
  importJson(text: string): ImportResult {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { ok: false, error: 'This file is not valid JSON, so it cannot be a virtlab progress export. Nothing was changed.' };
    }
    if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== EXPORT_FORMAT) {
      return { ok: false, error: 'This file is not a virtlab progress export (its "format" is not "virtlab-progress"). Nothing was changed.' };
    }
    const version = (data as { version?: unknown }).version;
    if (typeof version === 'number' && version > PROGRESS_SCHEMA_VERSION) {
      return { ok: false, error: `This export is from a newer virtlab (format version ${version}; this site reads ${PROGRESS_SCHEMA_VERSION}). Nothing was changed.` };
    }
    const parsed = exportSchema.safeParse(data);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      return { ok: false, error: `This progress file is damaged (at "${where}": ${parsed.error.issues[0]?.message ?? 'invalid'}). Nothing was changed.` };
    }
    const incoming = parsed.data.progress;
    let imported = 0;
    for (const [id, quiz] of Object.entries(incoming.quizzes)) {
      const mine = this.quiz(id);
      this.#write(`quiz.${id}`, mine ? mergeQuizzes(mine, quiz) : quiz);
      imported++;
    }
    for (const [id, lesson] of Object.entries(incoming.lessons)) {
      const mine = this.lesson(id);
      this.#write(`lesson.${id}`, mine && mine.visitedAt < lesson.visitedAt ? mine : lesson);
      imported++;
    }
    for (const [id, lab] of Object.entries(incoming.labs)) {
      const mine = this.lab(id);
      this.#write(`lab.${id}`, mine ? mergeLabs(mine, lab) : lab);
      imported++;
    }
    for (const [id, prediction] of Object.entries(incoming.predictions ?? {})) {
      const mine = this.prediction(id);
      this.#write(`prediction.${id}`, mine ? mergePredictions(mine, prediction) : prediction);
      imported++;
    }
    // The seed decides the numbers of generated questions; adopt the file's unless this browser
    // already has quiz progress made with its own.
    const hasQuizProgress = this.#ownKeys().some((key) => key.startsWith(`${PREFIX}quiz.`));
    if (!hasQuizProgress || this.#read('seed', seedSchema) === undefined) this.#write('seed', incoming.seed);
    return { ok: true, imported };
  }

  /** Forgets all progress (the quiz seed included). */
  clear(): void {
    for (const key of this.#ownKeys()) this.#storage.removeItem(key);
  }

  #ownKeys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.#storage.length; i++) {
      const key = this.#storage.key(i);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  }

  #read<T>(name: string, schema: z.ZodMiniType<T>): T | undefined {
    let raw: string | null;
    try {
      raw = this.#storage.getItem(PREFIX + name);
    } catch {
      return undefined; // storage disabled (private mode, policy): behave as if empty
    }
    if (raw === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = Symbol('unparseable');
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.problems.push(`Saved progress "${name}" was damaged and has been reset.`);
    this.#storage.removeItem(PREFIX + name);
    return undefined;
  }

  #write(name: string, value: unknown): void {
    try {
      this.#storage.setItem(PREFIX + name, JSON.stringify(value));
    } catch {
      this.problems.push('Progress could not be saved: this browser is refusing storage (private mode or full).');
    }
  }
}

/** Two records of one quiz: the best score and the most checks are kept, the later attempt's answers shown. */
function mergeQuizzes(a: QuizProgress, b: QuizProgress): QuizProgress {
  const [older, newer] = a.updatedAt <= b.updatedAt ? [a, b] : [b, a];
  const questions = newer.questions ?? older.questions;
  return {
    ...newer,
    best: Math.max(a.best, b.best),
    attempts: Math.max(a.attempts, b.attempts),
    ...(questions ? { questions } : {}),
  };
}

/** Two predictions for one explorable: the later one stands, with its own run (if any). */
function mergePredictions(a: PredictionProgress, b: PredictionProgress): PredictionProgress {
  return a.predictedAt <= b.predictedAt ? b : a;
}

/** Two records of one lab: passing wins, the best score is kept, the latest run is shown. */
function mergeLabs(a: LabProgress, b: LabProgress): LabProgress {
  const [older, newer] = a.updatedAt <= b.updatedAt ? [a, b] : [b, a];
  const best = Math.max(a.bestPublicScore ?? a.publicScore ?? 0, b.bestPublicScore ?? b.publicScore ?? 0);
  return {
    ...older,
    ...newer,
    status: a.status === 'passing' || b.status === 'passing' ? 'passing' : 'in-progress',
    ...(newer.publicScore !== undefined || older.publicScore !== undefined ? { bestPublicScore: best } : {}),
  };
}

function defaultRandomSeed(): number {
  const cell = new Uint32Array(1);
  globalThis.crypto.getRandomValues(cell);
  return cell[0]! | 0;
}

/** This browser's localStorage, or a memory-backed stand-in where storage is refused (private mode, policy). */
export function browserStorage(): StorageLike {
  try {
    const storage = globalThis.localStorage;
    storage.getItem('virtlab.probe');
    return storage;
  } catch {
    return memoryStorage();
  }
}

/** The progress store for this browser. */
export function openProgress(): ProgressStore {
  return new ProgressStore(browserStorage());
}

/** A Map-backed StorageLike, for tests and for browsers that refuse localStorage. */
export function memoryStorage(): StorageLike {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * Where a learner stands in a lesson, as the home and progress pages say it. A lesson is done
 * when every question of its closing quiz has been answered correctly (in one attempt or over
 * several, without "Show answer"); opening it or answering some questions makes it "opened".
 */
export type LessonStanding = 'not-opened' | 'opened' | 'done';

export function lessonStanding(lesson: LessonProgress | undefined, quiz: QuizProgress | undefined): LessonStanding {
  if (quiz && quiz.best >= quiz.total) return 'done';
  return lesson || quiz ? 'opened' : 'not-opened';
}

export const LESSON_STANDING_LABEL: Record<LessonStanding, string> = {
  'not-opened': 'Not opened',
  opened: 'Opened',
  done: 'Done',
};

/** A lab's state in words: not started, in progress, or passing its public tests. */
export function labStandingLabel(lab: LabProgress | undefined): string {
  if (!lab) return 'Not started';
  return lab.status === 'passing' ? 'Public tests passing' : 'In progress';
}
