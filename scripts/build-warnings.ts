/**
 * Build warnings known to be harmless, filtered where Rolldown reports them so a newcomer's build
 * log shows only what needs attention.
 *
 * Astro marks every MDX module with the directive "use astro:head-inject"; Rolldown warns that a
 * module-level directive "may not be preserved when bundling" (once per MDX file). Astro reads the
 * directive before bundling, so losing it in the bundle changes nothing. Any other directive, and
 * every other warning, still reaches the log.
 */
export interface BuildWarning {
  code?: string;
  message: string;
}

export function isKnownHarmlessWarning(warning: BuildWarning): boolean {
  return warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use astro:head-inject"');
}

/** A Rolldown `onwarn` that drops the known-harmless warnings and passes the rest on. */
export function onBuildWarning(warning: BuildWarning, passOn: (warning: BuildWarning) => void): void {
  if (!isKnownHarmlessWarning(warning)) passOn(warning);
}
