/** The lessons in course order, for the outline, previous/next links and progress. */
import { getCollection, type CollectionEntry } from 'astro:content';
import { uncoveredSlides } from './lecture.ts';

export type Lesson = CollectionEntry<'lessons'>;

export async function lessonsInOrder(): Promise<Lesson[]> {
  const lessons = await getCollection('lessons');
  const sorted = lessons.sort((a, b) => a.data.order - b.data.order);
  const orders = sorted.map((lesson) => lesson.data.order);
  const clash = orders.find((order, index) => orders.indexOf(order) !== index);
  if (clash !== undefined) {
    const files = sorted.filter((lesson) => lesson.data.order === clash).map((lesson) => lesson.filePath);
    throw new Error(`Two lessons have order ${clash}: ${files.join(' and ')}. Give each lesson its own position.`);
  }
  // The course must teach every slide of the lecture (fixture content used by tests is exempt).
  const missing = uncoveredSlides(sorted.flatMap((lesson) => lesson.data.lectureSlides));
  if (missing.length > 0 && !process.env.VIRTLAB_CONTENT_DIR) {
    throw new Error(`No lesson covers these lecture slides: ${missing.join('; ')}. Add them to a lesson's lectureSlides and teach them.`);
  }
  return sorted;
}

/** The quiz id every lesson's closing quiz uses: `<lesson-id>-quiz`. */
export function lessonQuizId(lessonId: string): string {
  return `${lessonId}-quiz`;
}
