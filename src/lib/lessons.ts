/** The lessons in course order, for the outline, previous/next links and progress. */
import { getCollection, type CollectionEntry } from 'astro:content';

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
  return sorted;
}

/** The quiz id every lesson's closing quiz uses: `<lesson-id>-quiz`. */
export function lessonQuizId(lessonId: string): string {
  return `${lessonId}-quiz`;
}
