/**
 * The slides of the 2007 lecture the course is built from (../shared/course/000_f68b6e29ad2db04b.txt),
 * in order. Two titles repeat because the lecture has two slides under each. Every slide must be
 * taught: lessons name the slides they cover in `lectureSlides`, and the build checks coverage.
 */
export const LECTURE_SLIDES = [
  'So what is virtualization anyway?',
  'Why virtualization?',
  'Why not virtualization?',
  'Isolation',
  "Isolation con't",
  'Hypervisor-based virtualization',
  "Hypervisors con't",
  "Hypervisors con't",
  'Full virtualization',
  'Full virtualization',
] as const;

export type LectureSlide = (typeof LECTURE_SLIDES)[number];

/** Slides (counting repeats) that no lesson covers, given each lesson's `lectureSlides`. */
export function uncoveredSlides(covered: readonly string[]): string[] {
  const remaining = [...covered];
  const missing: string[] = [];
  for (const slide of LECTURE_SLIDES) {
    const at = remaining.indexOf(slide);
    if (at === -1) missing.push(slide);
    else remaining.splice(at, 1);
  }
  return missing;
}
