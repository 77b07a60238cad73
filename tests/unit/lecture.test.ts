import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LECTURE_SLIDES, parseLecture, uncoveredSlides } from '../../src/lib/lecture.ts';

const lecturePath = resolve(import.meta.dirname, '../../content/lecture/lecture-24-virtualization.txt');
const lecture = parseLecture(readFileSync(lecturePath, 'utf8'));

describe("the lecture's slides", () => {
  test('the list matches the project\'s copy of the lecture, slide for slide', () => {
    expect(lecture.slides.map((slide) => slide.title)).toEqual([...LECTURE_SLIDES]);
  });

  test('the copy is the whole lecture: its title block and every slide with bullets', () => {
    expect(lecture.heading).toEqual(['Advanced Unix System Administration', 'Lecture 24 April 26, 2007', 'Steven Luo <sluo+decal@OCF.Berkeley.EDU>']);
    expect(lecture.slides.filter((slide) => slide.bullets.length === 0).map((slide) => slide.title)).toEqual([]);
    expect(lecture.slides.reduce((sum, slide) => sum + slide.bullets.length, 0)).toBe(56);
  });

  test('parsing reads titles, indented bullets and the title block, and refuses a bullet before any slide', () => {
    expect(parseLecture('Course\n\n- One\n - a\n  - b\n- Two\n - c\n')).toEqual({
      heading: ['Course'],
      slides: [
        { title: 'One', bullets: ['a', 'b'] },
        { title: 'Two', bullets: ['c'] },
      ],
    });
    expect(() => parseLecture('Course\n - stray\n')).toThrow(/bullet before its first slide: "- stray"/);
  });

  test('coverage counts repeated slides', () => {
    expect(uncoveredSlides([...LECTURE_SLIDES])).toEqual([]);
    expect(uncoveredSlides(LECTURE_SLIDES.filter((slide) => slide !== 'Isolation'))).toEqual(['Isolation']);
    const oneFullVirtualization = LECTURE_SLIDES.filter((slide, index) => slide !== 'Full virtualization' || index === 8);
    expect(uncoveredSlides(oneFullVirtualization)).toEqual(['Full virtualization']);
  });
});
