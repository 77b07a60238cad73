import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LECTURE_SLIDES, uncoveredSlides } from '../../src/lib/lecture.ts';

const lecturePath = resolve(import.meta.dirname, '../../../shared/course/000_f68b6e29ad2db04b.txt');

describe('the lecture\'s slides', () => {
  test('the list matches the lecture file, slide for slide', () => {
    expect(existsSync(lecturePath), `the lecture should be at ${lecturePath} (shared/ beside the project)`).toBe(true);
    // In the lecture file a slide title is a top-level "- " line; its bullets are indented.
    const titles = readFileSync(lecturePath, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map((line) => line.slice(2).trim());
    expect(titles).toEqual([...LECTURE_SLIDES]);
  });

  test('coverage counts repeated slides', () => {
    expect(uncoveredSlides([...LECTURE_SLIDES])).toEqual([]);
    expect(uncoveredSlides(LECTURE_SLIDES.filter((slide) => slide !== 'Isolation'))).toEqual(['Isolation']);
    const oneFullVirtualization = LECTURE_SLIDES.filter((slide, index) => slide !== 'Full virtualization' || index === 8);
    expect(uncoveredSlides(oneFullVirtualization)).toEqual(['Full virtualization']);
  });
});
