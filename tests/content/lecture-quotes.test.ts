/**
 * The lessons quote the lecture word for word: every bullet inside a `<Lecture slide="…">` block
 * is a bullet of a slide with that title, in the slide's order, and every bullet of every slide
 * is quoted somewhere in the course.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseLecture, type ParsedSlide } from '../../src/lib/lecture.ts';

const root = resolve(import.meta.dirname, '../..');
const lecture = parseLecture(readFileSync(join(root, 'content/lecture/lecture-24-virtualization.txt'), 'utf8'));
const lessonsDir = join(root, 'content/lessons');

interface Quote {
  lesson: string;
  slide: string;
  bullets: string[];
}

/** `<Lecture slide="…">` blocks of an MDX file, with the text of their list items. */
function quotesIn(lesson: string, mdx: string): Quote[] {
  const quotes: Quote[] = [];
  for (const match of mdx.matchAll(/<Lecture slide="([^"]+)">([\s\S]*?)<\/Lecture>/g)) {
    const bullets = (match[2] ?? '')
      .split('\n')
      .filter((line) => /^\s*- /.test(line))
      .map((line) => line.replace(/^\s*- /, '').trim());
    quotes.push({ lesson, slide: match[1] ?? '', bullets });
  }
  return quotes;
}

/** Whether `part` appears in `whole` in the same order (not necessarily adjacent). */
function inOrder(part: readonly string[], whole: readonly string[]): boolean {
  let at = 0;
  for (const item of part) {
    at = whole.indexOf(item, at);
    if (at === -1) return false;
    at += 1;
  }
  return true;
}

const quotes = readdirSync(lessonsDir)
  .filter((name) => name.endsWith('.mdx'))
  .sort()
  .flatMap((name) => quotesIn(name, readFileSync(join(lessonsDir, name), 'utf8')));

const slidesTitled = (title: string): ParsedSlide[] => lecture.slides.filter((slide) => slide.title === title);

describe('lessons quote the lecture verbatim', () => {
  test('the course quotes the lecture', () => {
    expect(quotes.length).toBeGreaterThanOrEqual(lecture.slides.length);
  });

  test.each(quotes.map((quote, index) => [`${quote.lesson} #${index + 1}: ${quote.slide}`, quote] as const))('%s', (_name, quote) => {
    const candidates = slidesTitled(quote.slide);
    expect(candidates.length, `"${quote.slide}" is not a slide title of the lecture`).toBeGreaterThan(0);
    expect(quote.bullets.length, 'a lecture block should quote at least one bullet').toBeGreaterThan(0);
    const matches = candidates.some((slide) => inOrder(quote.bullets, slide.bullets));
    const foreign = quote.bullets.filter((bullet) => !candidates.some((slide) => slide.bullets.includes(bullet)));
    expect(foreign, `bullets not on the slide "${quote.slide}" as the lecture words them`).toEqual([]);
    expect(matches, `the bullets of "${quote.slide}" are quoted out of the lecture's order`).toBe(true);
  });

  test('every bullet of every slide is quoted somewhere', () => {
    const unquoted = lecture.slides.flatMap((slide, index) => {
      const quoted = quotes.filter((quote) => quote.slide === slide.title).flatMap((quote) => quote.bullets);
      return slide.bullets.filter((bullet) => !quoted.includes(bullet)).map((bullet) => `slide ${index + 1} (${slide.title}): ${bullet}`);
    });
    expect(unquoted).toEqual([]);
  });
});
