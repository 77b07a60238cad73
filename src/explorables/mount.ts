/**
 * The browser side every explorable shares: prediction, seed, Step / Run / Reset, the live
 * region and lazy loading. The explorable's own module (listed in registry.ts, which is loaded
 * with it) is loaded when the learner comes near it or presses a button, and only draws its
 * picture and table.
 */
import { openProgress, type ProgressStore } from '../lib/progress.ts';
import { once, whenNearScreen } from './lazy.ts';
import { wirePrediction } from './prediction.ts';
import { parseSeed } from './seed.ts';
import type { ExplorableRun, ExplorableSettings, ExplorableUpdate } from './types.ts';

function part<T extends HTMLElement>(root: HTMLElement, name: string): T {
  const element = root.querySelector<T>(`[data-part="${name}"]`);
  if (!element) throw new Error(`explorable "${root.dataset['explorable']}" has no ${name}`);
  return element;
}

function mountOne(root: HTMLElement, store: ProgressStore): void {
  const id = root.dataset['explorable']!;
  // The registry itself is loaded on demand too: every entry it lists would otherwise add to
  // every lesson page's first load.
  const load = once(async () => {
    const { EXPLORABLES } = await import('./registry.ts');
    const loader = EXPLORABLES[id];
    if (!loader) throw new Error(`unknown explorable "${id}": add it to src/explorables/registry.ts`);
    return loader();
  });
  const prediction = wirePrediction(id, part<HTMLFieldSetElement>(root, 'predict'), part(root, 'prediction-note'), store);
  const seedInput = part<HTMLInputElement>(root, 'seed');
  const seedError = part(root, 'seed-error');
  const choices = part(root, 'choices');
  const stepButton = root.querySelector<HTMLButtonElement>('[data-part="step"]');
  const runButton = part<HTMLButtonElement>(root, 'run');
  const live = part(root, 'live');
  const explanation = part(root, 'explanation');
  const view = { picture: part(root, 'picture'), table: part(root, 'table') };
  let run: ExplorableRun | null = null;

  const settings = (): ExplorableSettings | null => {
    const seed = parseSeed(seedInput.value);
    seedInput.setAttribute('aria-invalid', String(seed === null));
    seedError.textContent = seed === null ? 'The seed is a whole number from 0 to 2147483647.' : '';
    if (seed === null) return null;
    const chosen: Record<string, string> = {};
    // Field names are "<page-unique prefix>:<setting>"; the model sees only the setting.
    for (const input of choices.querySelectorAll<HTMLInputElement>('input:checked')) chosen[input.name.replace(/^.*:/, '')] = input.value;
    return { seed, choices: chosen };
  };

  const show = (update: ExplorableUpdate) => {
    live.textContent = update.announcement;
    if (stepButton) stepButton.disabled = update.finished;
    runButton.disabled = update.finished;
    if (update.finished) {
      explanation.hidden = false;
      prediction.ran();
    }
  };

  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  // An update from a run that Reset or new settings replaced meanwhile is dropped.
  const showIfCurrent = (active: ExplorableRun, update: ExplorableUpdate) => {
    if (run === active) show(update);
  };

  /** Starts a run with the settings on the form; resolves to it (or to the old run, if the settings are not valid). */
  const begin = async (): Promise<ExplorableRun | null> => {
    const chosen = settings();
    if (!chosen) return run;
    try {
      const module = await load();
      run?.dispose?.();
      const active = (run = module.start(chosen, view));
      showIfCurrent(active, await active.initial);
      return active;
    } catch (error) {
      live.textContent = `The simulator could not be loaded (${messageOf(error)}). Reload the page to try again.`;
      run = null;
      return null;
    }
  };
  /** The newest run started, perhaps still starting (null until the explorable is first needed). */
  let starting: Promise<ExplorableRun | null> | null = null;
  const restart = () => (starting = begin());

  /**
   * Step or Run acts on the newest run as of the press, even one still starting (new settings
   * just chosen). A Reset pressed after it disposes of that run, whose answer is then dropped. A
   * run that fails says so and leaves Reset to start again.
   */
  const act = (action: (active: ExplorableRun) => ExplorableUpdate | Promise<ExplorableUpdate> | undefined) => {
    const target = starting ?? restart();
    void (async () => {
      const active = await target;
      if (!active) return;
      try {
        const update = await action(active);
        if (update) showIfCurrent(active, update);
      } catch (error) {
        if (run === active) live.textContent = `The simulator stopped (${messageOf(error)}). Press Reset to start again.`;
      }
    })();
  };
  stepButton?.addEventListener('click', () => act((active) => active.step?.()));
  runButton.addEventListener('click', () => act((active) => active.runToEnd()));
  part(root, 'reset').addEventListener('click', () => void restart());
  // New settings start a new run from the beginning (once the simulator is there).
  choices.addEventListener('change', () => void (starting && restart()));
  seedInput.addEventListener('change', () => void (starting ? restart() : settings()));
  whenNearScreen(root, () => void (starting ?? restart()));
}

export function mountExplorables(doc: Document): void {
  const roots = [...doc.querySelectorAll<HTMLElement>('[data-explorable]:not([data-mounted])')];
  if (roots.length === 0) return;
  const store = openProgress();
  for (const root of roots) {
    root.dataset['mounted'] = '';
    mountOne(root, store);
  }
}
