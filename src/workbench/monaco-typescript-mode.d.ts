/** Monaco ships no declarations for the module its TypeScript register loads on demand. */
declare module 'monaco-editor/languages/features/typescript/tsMode' {
  import type { LanguageServiceDefaults } from 'monaco-editor/languages/features/typescript/register';
  export function setupTypeScript(defaults: LanguageServiceDefaults): void;
}
