/** The lecture's text, bundled from the project's own copy (content/lecture/) for the site's pages. */
import lectureText from '../../content/lecture/lecture-24-virtualization.txt?raw';
import { parseLecture, type ParsedLecture } from './lecture.ts';

export const LECTURE: ParsedLecture = parseLecture(lectureText);
