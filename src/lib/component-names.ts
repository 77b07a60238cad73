/** Components found by `import.meta.glob`, keyed by file name (`../Foo.astro` → `Foo`), for an MDX `components` map. */
export function byComponentName<T>(modules: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(modules).map(([path, component]) => [path.replace(/^.*\//, '').replace(/\.astro$/, ''), component]));
}
