/**
 * Pairs of submissions that share code, by Dolos's winnowing over syntax tokens
 * ({@link tokenizeTypeScript}), with the lab's starter code excluded: a fingerprint the starter
 * has is never evidence that two learners shared anything.
 */
import { FingerprintIndex, type Region } from '@dodona/dolos-core';
import type { LabManifest } from '../core/lab-format.ts';
import { tokenizeTypeScript } from './tokenize.ts';

/** What one learner handed in, as the text compared (the editable files, joined). */
export interface SimilarityInput {
  student: string;
  source: string;
  text: string;
}

/**
 * What is compared of a submission or of the starter: its editable files in the manifest's
 * order, joined (every course lab has one; a missing file counts as empty).
 */
export function editableText(manifest: LabManifest, files: Readonly<Record<string, string>>): string {
  return manifest.files.filter((f) => f.editable).map((f) => files[f.path] ?? '').join('\n');
}

/** Lines (1-based, inclusive) of a shared fragment in each of the two submissions. */
export interface SharedFragment {
  left: { startLine: number; endLine: number };
  right: { startLine: number; endLine: number };
}

/** Two submissions and what they share. */
export interface SimilarPair {
  left: SimilarityInput;
  right: SimilarityInput;
  /** Share of both submissions' fingerprints that the other has too (0–1), Dolos's similarity. */
  similarity: number;
  /** Longest run of consecutive shared fingerprints. */
  longest: number;
  /** Shared runs of at least {@link MIN_FRAGMENT_KGRAMS} fingerprints, in the left file's order. */
  fragments: SharedFragment[];
}

/**
 * Dolos's defaults (k-grams of 23 tokens, windows of 17): long enough that one shared
 * statement shape is not a match, short enough to find a copied function of a few lines.
 */
export const KGRAM_LENGTH = 23;
export const KGRAMS_IN_WINDOW = 17;

/**
 * Fragments shown have at least this many consecutive shared fingerprints. A single one is
 * usually a common statement shape met twice by chance (`x.f(y); z.skip(); return;`); such
 * matches still count in the similarity, they only do not fill the report.
 */
export const MIN_FRAGMENT_KGRAMS = 3;

function lines(region: Region): { startLine: number; endLine: number } {
  return { startLine: region.startRow + 1, endLine: region.endRow + 1 };
}

/**
 * Every pair of `inputs`, most similar first, with the fingerprints of the `starter` text ignored,
 * and, given `commonShare`, those found in more than that share of the submissions (code nearly
 * everyone writes, such as a pattern the lesson shows, is not unusual; never fewer than 2 files).
 */
export function comparePairs(inputs: readonly SimilarityInput[], starter: string, commonShare?: number): SimilarPair[] {
  const maxFiles = commonShare === undefined ? Number.MAX_SAFE_INTEGER : Math.max(2, Math.floor(commonShare * inputs.length));
  const index = new FingerprintIndex(KGRAM_LENGTH, KGRAMS_IN_WINDOW, false, maxFiles);
  const files = inputs.map((input, i) => tokenizeTypeScript(`${i}:${input.source}`, input.text));
  index.addFiles(files);
  // Added after the submissions on purpose: Dolos moves a fingerprint out of every file's shared
  // set when an ignored file brings it, but not when a submission brings one already ignored.
  if (starter !== '') index.addIgnoredFile(tokenizeTypeScript('starter', starter));
  const byFile = new Map(files.map((file, i) => [file.id, inputs[i] as SimilarityInput]));
  const pairs: SimilarPair[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const pair = index.getPair(files[i]!, files[j]!);
      const left = byFile.get(pair.leftFile.id)!;
      const right = byFile.get(pair.rightFile.id)!;
      const fragments = pair.buildFragments(MIN_FRAGMENT_KGRAMS).map((f) => ({ left: lines(f.leftSelection), right: lines(f.rightSelection) }));
      fragments.sort((a, b) => a.left.startLine - b.left.startLine || a.right.startLine - b.right.startLine);
      pairs.push({ left, right, similarity: pair.similarity, longest: pair.longest, fragments });
    }
  }
  return pairs.sort((a, b) => b.similarity - a.similarity || b.longest - a.longest);
}
