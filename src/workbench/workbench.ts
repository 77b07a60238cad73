/**
 * The lab workbench in the browser, put together from controllers with one job each (the same
 * for the phone and the desktop layout): the editor session, file tabs, saving, reset/undo,
 * running the tests, type checking (which arrives after the editor), submissions in and out, the
 * learner's identity, the divider and the phone's pane tabs.
 */
import { browserStorage, openProgress } from '../lib/progress.ts';
import { mountActionsMenu } from './actions-menu.ts';
import { CodeStore } from './autosave.ts';
import { mountDivider } from './divider.ts';
import { EditorSession } from './editor-session.ts';
import { mountFileTabs } from './file-tabs.ts';
import { mountHistory } from './history.ts';
import { IdentityStore } from './identity.ts';
import { mountIdentityPanel } from './identity-panel.ts';
import { showFirstEditor } from './first-editor.ts';
import { editablePaths, readLabData } from './lab-data.ts';
import { mountPanes } from './panes.ts';
import { mountRun } from './run.ts';
import { CodeSaver, mountSaveWarning, saveOnEdits } from './saving.ts';
import { statusLine } from './status.ts';
import { downloadSubmission, mountTransfer } from './transfer.ts';
import { mountTypeChecking } from './type-checking.ts';

export async function mountWorkbench(doc: Document): Promise<void> {
  const root = doc.querySelector<HTMLElement>('[data-workbench]');
  const data = readLabData(doc);
  if (!root || !data) return;
  const { manifest } = data;
  const storage = browserStorage();
  const status = statusLine(root.querySelector<HTMLElement>('[data-status]')!);
  const { say } = status;
  const panes = mountPanes(root);
  mountDivider(root, manifest.id, storage);
  mountActionsMenu(root);
  const identity = mountIdentityPanel(root, new IdentityStore(storage));

  const codeStore = new CodeStore(storage);
  const loaded = codeStore.load(manifest.id, manifest.version, data.starter);
  const editorHost = root.querySelector<HTMLElement>('[data-editor]')!;
  // Until Monaco is there, the first of the learner's files is in a plain text area (first-editor.ts).
  const firstPath = editablePaths(manifest)[0]!;
  const editListeners: (() => void)[] = [];
  const edited = () => editListeners.forEach((listener) => listener());
  const first = showFirstEditor(editorHost, { text: loaded.files[firstPath] ?? '', label: `${manifest.title}: ${firstPath}`, onEdit: edited });
  let currentFiles = () => ({ ...loaded.files, [firstPath]: first.text() });
  const files = { files: () => currentFiles() };

  const saveWarning = mountSaveWarning(root.querySelector<HTMLElement>('[data-save-failed]')!, () =>
    void identity.ensure().then((who) => downloadSubmission(manifest, files, who, say)),
  );
  const saver = new CodeSaver(codeStore, manifest, () => currentFiles(), saveWarning);
  saveOnEdits(saver, doc, (listener) => editListeners.push(listener));
  const progress = openProgress();
  let labRecorded = progress.lab(manifest.id) !== undefined;
  editListeners.push(() => {
    if (labRecorded) return;
    progress.recordLab(manifest.id, 'in-progress');
    labRecorded = true;
  });

  const { monaco, startWorkers } = await import('./monaco.ts');
  const session = new EditorSession(monaco, editorHost, data, currentFiles());
  first.handOver(session);
  currentFiles = () => session.files();
  session.onLearnerEdit(edited);
  mountFileTabs(root.querySelector<HTMLElement>('[data-tabs]')!, session);
  const typeChecker = mountTypeChecking({
    root,
    session,
    status,
    load: async () => {
      startWorkers();
      return (await import('./typescript-service.ts')).setUpTypeScript(data.types);
    },
  });

  const history = mountHistory(root, { session, saver, starter: data.starter, loaded, version: manifest.version, say });
  for (const problem of codeStore.problems) say(problem);
  mountRun(root, { data, session, saver, progress, getTypeScriptWorker: typeChecker, say, onStart: () => panes.narrow() && panes.show('results') });
  mountTransfer(root, { manifest, session, saver, history, say, identity: () => identity.ensure() });
  root.dataset['ready'] = 'true';
}
