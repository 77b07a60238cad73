/**
 * The Monaco editor features a learner writing TypeScript uses, instead of Monaco's
 * `features/register.all` (which also brings the diff editor, colour picker, code lens, inline
 * completions, sticky scroll, GPU rendering and more, all dead weight on a lab page).
 *
 * Kept, by what the learner does:
 * - keyboard editing and moving: word, line, multi-cursor and smart-select operations, cursor undo,
 *   bracket matching, comment toggling, indentation, folding, clipboard, the context menu, and
 *   Ctrl+M (Tab moves focus; the editor's aria-label and the page's keyboard help promise it);
 * - finding: find/replace (with its Tab-order patch), go to line, the command palette (F1) and its help;
 * - the TypeScript service's help: suggestions with snippets, hovers, parameter hints, quick fixes,
 *   rename, format, next/previous problem (F8) and highlighting the other uses of a name;
 * - messages: the read-only message on the tests' tabs, placeholders, and the highlighting of
 *   invisible or look-alike Unicode characters (a pasted curly quote breaks code silently).
 */
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickHelp/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/rename/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/unicodeHighlighter/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
