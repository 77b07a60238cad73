/**
 * Content collections: the lessons (MDX) and the glossary (one YAML file per term).
 * The schemas run at build time, so a malformed lesson or term fails the build with its file.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { labsRoot, readPublicLabs } from './labs/public-files.ts';
import { LECTURE_SLIDES } from './lib/lecture.ts';

/** Lab ids a lesson may point to; a typo here fails the build instead of producing a dead link. */
export const LAB_IDS = [
  'consolidate',
  'jail',
  'trap-and-emulate',
  'popek-goldberg',
  'shadow-paging',
  'live-migration',
  'scheduling',
] as const;

/** Where content lives; tests point this at fixture content (e.g. a deliberately malformed lesson). */
const contentRoot = process.env.VIRTLAB_CONTENT_DIR ?? './content';

const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: `${contentRoot}/lessons` }),
  schema: z.object({
    title: z.string().min(3),
    order: z.number().int().positive(),
    summary: z.string().min(10),
    objectives: z.array(z.string().min(5)).min(2).max(6),
    minutes: z.number().int().min(5).max(180),
    labs: z.array(z.enum(LAB_IDS)).default([]),
    lectureSlides: z.array(z.enum(LECTURE_SLIDES)).min(1),
  }),
});

const glossary = defineCollection({
  loader: glob({ pattern: '*.yaml', base: `${contentRoot}/glossary` }),
  schema: z.object({
    term: z.string().min(1),
    definition: z.string().min(10),
    lessons: z.array(z.string()).default([]),
    seeAlso: z.array(z.string()).default([]),
    source: z.string().optional(),
  }),
});

/** Labs: only their public parts (see labs/public-files.ts); the manifest is checked by the grader's schema. */
const labs = defineCollection({
  loader: async () => (await readPublicLabs()).map((lab) => ({ ...lab })),
});

/** Each lab's instructions (labs/<id>/instructions.mdx), keyed by the lab's folder name. */
const labInstructions = defineCollection({
  loader: glob({ pattern: '*/instructions.mdx', base: labsRoot(), generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: z.object({ title: z.string().optional() }),
});

export const collections = { lessons, glossary, labs, labInstructions };
