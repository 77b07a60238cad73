/**
 * The lab folder and submission formats as zod schemas, shared by the site, the browser runner
 * and the Node grader (zod runs in both). See grader/README.md for the formats in prose.
 */
import { z } from 'zod';

// No compiled parsers: the site's Content-Security-Policy forbids eval, and zod's probe for it
// would be reported as a policy violation on every lab page.
z.config({ jitless: true });

/** Lab ids are folder names: lowercase words joined by single dashes. */
const labId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lowercase letters, digits and single dashes), e.g. "consolidate"');

/** A path inside `starter/`: relative, forward slashes, no `..`, ending in `.ts`. */
const starterPath = z
  .string()
  .regex(/^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_\-./]+\.ts$/, 'must be a relative path ending in .ts without "." or ".." segments, e.g. "solution.ts"');

const points = z.number().int('points must be whole numbers').nonnegative();

/** `lab.json`: what a lab is made of and how it is graded. */
export const labManifestSchema = z
  .object({
    id: labId,
    title: z.string().min(1),
    version: z.number().int().positive(),
    summary: z.string(),
    minutes: z.number().positive(),
    lessons: z.array(z.string().min(1)),
    files: z
      .array(z.object({ path: starterPath, editable: z.boolean() }).strict())
      .min(1)
      .refine((files) => files.some((f) => f.editable), 'at least one file must be editable')
      .refine((files) => new Set(files.map((f) => f.path)).size === files.length, 'file paths must be unique'),
    points: z.object({ public: points, hidden: points }).strict(),
    limits: z
      .object({
        timeMs: z.number().int().min(100).max(600_000),
        memoryMb: z.number().int().min(16).max(4096),
        outputBytes: z.number().int().min(256).max(16 * 1024 * 1024),
      })
      .strict(),
    showHiddenOutputToStudents: z.boolean(),
  })
  .strict();

/** A parsed `lab.json`. */
export type LabManifest = z.infer<typeof labManifestSchema>;

/** Limits of one run of a lab's tests (from the manifest). */
export type LabLimits = LabManifest['limits'];

/** Largest submission file the grader reads (bytes); the site refuses bigger imports with the same limit. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

/**
 * A submission's `files`: file text by path. A `__proto__` entry (JSON.parse keeps it as an own
 * key) is refused by name, before the record is built: it cannot be a file name, and building
 * the record would silently drop it (or, in careless code, set a prototype).
 */
const submissionFiles = z.preprocess(
  (raw, context) => {
    if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, '__proto__')) {
      context.addIssue({ code: 'custom', message: 'has an entry named "__proto__", which cannot be a file name: the submission file is malformed (not as the lab page writes it)' });
      return z.NEVER;
    }
    return raw;
  },
  z.record(z.string(), z.string()),
);

/** The file the site's "Download submission" writes and the grader reads. */
export const submissionSchema = z
  .object({
    format: z.literal('virtlab-submission'),
    formatVersion: z.literal(1),
    lab: labId,
    labVersion: z.number().int().positive(),
    files: submissionFiles,
    createdAt: z.iso.datetime({ offset: true }),
    student: z.string().min(1).max(200).optional(),
    /** The learner's id in the course (e.g. a student number), shown next to the name. */
    studentId: z.string().max(200).optional(),
  })
  .strict();

/** A parsed submission file. */
export type Submission = z.infer<typeof submissionSchema>;

/**
 * Whether a file of a lab's `tests/` folder may be shown to students (shipped to the site, put in
 * a student-facing package). Private test files are those whose names start with `hidden`:
 * `hidden.ts` and helpers only the hidden tests use (e.g. `hidden-cases.ts`).
 */
export function isPublicTestFile(name: string): boolean {
  return name.endsWith('.ts') && !name.startsWith('hidden');
}

/** Turns zod issues into one readable line per problem: `files[1].path: must be ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
