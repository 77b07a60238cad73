/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The content file being rendered, so components can name it in build errors. */
    lessonSource?: string;
    /** Tables rendered so far on this page, to number their scroll regions. */
    tableCount?: number;
  }
}
