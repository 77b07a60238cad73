/**
 * The 2007 lecture the course is built from, kept verbatim in content/lecture/ (see its README for
 * the attribution). `LECTURE_SLIDES` names its slides in order (two titles repeat because the
 * lecture has two slides under each); lessons name the slides they cover in `lectureSlides`, and
 * the build checks that every slide is taught. A test checks this list against the lecture file.
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

/** One slide as the lecture file has it: its title and its bullets, in order. */
export interface ParsedSlide {
  title: string;
  bullets: string[];
}

/** The lecture file read as a title block (the lines before the first slide) and its slides. */
export interface ParsedLecture {
  heading: string[];
  slides: ParsedSlide[];
}

/**
 * Reads the lecture's plain-text layout: a slide title is a top-level `- ` line, and each of its
 * bullets an indented `- ` line; lines before the first slide are the title block.
 */
export function parseLecture(text: string): ParsedLecture {
  const heading: string[] = [];
  const slides: ParsedSlide[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('- ')) {
      slides.push({ title: line.slice(2).trim(), bullets: [] });
    } else if (/^\s+- /.test(line)) {
      const slide = slides.at(-1);
      if (slide === undefined) throw new Error(`The lecture has a bullet before its first slide: "${line.trim()}"`);
      slide.bullets.push(line.replace(/^\s+- /, '').trim());
    } else if (line.trim() !== '' && slides.length === 0) {
      heading.push(line.trim());
    }
  }
  return { heading, slides };
}

/** An anchor for slide number `index` (0-based) on the lecture page: `slide-1` … `slide-10`. */
export function slideAnchor(index: number): string {
  return `slide-${index + 1}`;
}

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
