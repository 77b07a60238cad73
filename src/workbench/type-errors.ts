/**
 * The type errors of the learner's files, asked of the TypeScript worker at the moment of the run
 * (not the editor's markers, which lag behind an import or a paste), in the grader's terms: the
 * same files, syntactic then semantic diagnostics per file, at most as many as the grader lists.
 */
import type { EditorSession } from './editor-session.ts';
import type { EditorProblem } from './results.ts';

/** The grader's cap (grader/node/typecheck.ts). */
const MAX_TYPE_ERRORS = 50;

type MessageChain = string | { messageText: string; next?: MessageChain[] };
interface WorkerDiagnostic {
  start?: number;
  code: number;
  category: number;
  messageText: MessageChain;
}
interface TypeScriptWorkerLike {
  getSyntacticDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
  getSemanticDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
}
type WorkerFor = (...uris: import('monaco-editor/editor').Uri[]) => Promise<TypeScriptWorkerLike>;
/** Monaco's getTypeScriptWorker: waits for the worker, however long it takes to load. */
export type TypeScriptWorkerSource = () => Promise<WorkerFor>;
/** The TypeScript worker, or null while type checking is still loading (type-checking.ts). */
export type GetTypeScriptWorker = () => Promise<WorkerFor> | null;

/** The learner's type errors, or null while type checking is still loading: a run never waits for it. */
export async function typeErrorsOf(session: EditorSession, getWorker: GetTypeScriptWorker): Promise<EditorProblem[] | null> {
  const loaded = getWorker();
  if (!loaded) return null;
  const files = [...session.editable];
  const uris = files.map((path) => session.model(path).uri);
  const worker = await (await loaded)(...uris);
  const found: EditorProblem[] = [];
  for (const path of files) {
    const model = session.model(path);
    const name = model.uri.toString();
    for (const diagnostic of [...(await worker.getSyntacticDiagnostics(name)), ...(await worker.getSemanticDiagnostics(name))]) {
      const at = model.getPositionAt(diagnostic.start ?? 0);
      found.push({ file: path, line: at.lineNumber, column: at.column, code: diagnostic.code, message: flatten(diagnostic.messageText) });
      if (found.length >= MAX_TYPE_ERRORS) return found;
    }
  }
  return found;
}

/** A diagnostic's message on one line, as `ts.flattenDiagnosticMessageText(text, ' ')` writes it. */
function flatten(chain: MessageChain, depth = 0): string {
  if (typeof chain === 'string') return chain;
  const own = depth === 0 ? chain.messageText : ` ${'  '.repeat(depth)}${chain.messageText}`;
  return own + (chain.next ?? []).map((next) => flatten(next, depth + 1)).join('');
}
