/**
 * Links that work wherever the site is hosted: every internal URL goes through `href`, which
 * prefixes Astro's configured base path (e.g. /courses/virtlab/) exactly once.
 */
export function joinBase(base: string, path: string): string {
  const trimmedBase = base.endsWith('/') ? base.slice(0, -1) : base;
  const trimmedPath = path.startsWith('/') ? path.slice(1) : path;
  return `${trimmedBase}/${trimmedPath}`;
}

/** An internal link under the site's base path. */
export function href(path: string): string {
  return joinBase(import.meta.env.BASE_URL, path);
}
