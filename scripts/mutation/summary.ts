/**
 * A lab's mutation results in the terms the course uses: killed, timed out, survived, no
 * coverage, equivalent (listed in the lab's mutation-equivalents.md), and the score
 * killed (timeouts included) ÷ non-equivalent mutants.
 */
import type { Equivalent } from './equivalents.ts';
import type { Location } from './apply-mutant.ts';

/** One mutant after its run, with the text around it (positions 0-based, as Stryker's). */
export interface GradedMutant {
  readonly id: string;
  /** Path of the mutated file inside the lab's solution folder, e.g. `consolidate.ts`. */
  readonly file: string;
  readonly mutator: string;
  readonly location: Location;
  readonly line: string;
  readonly original: string;
  readonly replacement: string;
  /** Stryker's status: Killed, Survived, Timeout, NoCoverage, CompileError, RuntimeError, Ignored, … */
  readonly status: string;
  readonly statusReason?: string;
  readonly killedBy?: readonly string[];
}

export interface LabSummary {
  readonly lab: string;
  readonly killed: GradedMutant[];
  readonly timedOut: GradedMutant[];
  readonly survived: GradedMutant[];
  readonly noCoverage: GradedMutant[];
  /** Mutants that could not be graded (Stryker's RuntimeError, CompileError): shown apart, counted as neither. */
  readonly errors: GradedMutant[];
  readonly equivalent: { mutant: GradedMutant; entry: Equivalent }[];
  /** Entries listed as equivalent that a test kills anyway: they are not equivalent. */
  readonly killedEquivalents: { mutant: GradedMutant; entry: Equivalent }[];
  readonly stale: Equivalent[];
  /** Killed (timeouts included) ÷ non-equivalent mutants, in percent; 100 when there are none. */
  readonly score: number;
  readonly seconds: number;
}


export function summarize(lab: string, mutants: readonly GradedMutant[], equivalents: Map<GradedMutant, Equivalent>, stale: Equivalent[], seconds: number): LabSummary {
  const summary: LabSummary = { lab, killed: [], timedOut: [], survived: [], noCoverage: [], errors: [], equivalent: [], killedEquivalents: [], stale, score: 100, seconds };
  for (const mutant of mutants) {
    const entry = equivalents.get(mutant);
    const detected = mutant.status === 'Killed' || mutant.status === 'Timeout';
    if (entry !== undefined && !detected) summary.equivalent.push({ mutant, entry });
    else if (mutant.status === 'Killed') summary.killed.push(mutant);
    else if (mutant.status === 'Timeout') summary.timedOut.push(mutant);
    else if (mutant.status === 'Survived') summary.survived.push(mutant);
    else if (mutant.status === 'NoCoverage') summary.noCoverage.push(mutant);
    else summary.errors.push(mutant);
    if (entry !== undefined && detected) summary.killedEquivalents.push({ mutant, entry });
  }
  const detectedCount = summary.killed.length + summary.timedOut.length;
  const counted = detectedCount + summary.survived.length + summary.noCoverage.length;
  return { ...summary, score: counted === 0 ? 100 : (100 * detectedCount) / counted };
}

const where = (m: GradedMutant) => `${m.file}:${m.location.start.line + 1}:${m.location.start.column + 1}`;
const oneLine = (text: string, max = 70) => {
  const squeezed = text.replace(/\s+/g, ' ').trim();
  return squeezed.length > max ? `${squeezed.slice(0, max - 1)}…` : squeezed;
};

/** `file:line:column Mutator: original → replacement` */
export function describeMutant(mutant: GradedMutant): string {
  return `${where(mutant)} ${mutant.mutator}: ${oneLine(mutant.original)} → ${oneLine(mutant.replacement)}`;
}

/** The summary as the terminal shows it. */
export function formatSummary(summary: LabSummary, threshold: number): string {
  const lines = [
    `${summary.lab}: ${summary.score.toFixed(1)}% mutation score (killed ÷ non-equivalent) in ${summary.seconds.toFixed(0)} s`,
    `  killed ${summary.killed.length} · timed out ${summary.timedOut.length} (counted as killed) · survived ${summary.survived.length} · no coverage ${summary.noCoverage.length} · equivalent ${summary.equivalent.length}${summary.errors.length > 0 ? ` · errors ${summary.errors.length}` : ''}`,
  ];
  const section = (title: string, items: string[]) => {
    if (items.length > 0) lines.push(`  ${title}:`, ...items.map((item) => `    ${item}`));
  };
  section('survivors (kill each with a test, or list it in mutation-equivalents.md with a reason)', summary.survived.map(describeMutant));
  section('no coverage', summary.noCoverage.map(describeMutant));
  section('timed out', summary.timedOut.map((m) => `${describeMutant(m)}${m.statusReason ? ` (${oneLine(m.statusReason, 120)})` : ''}`));
  section('could not be run', summary.errors.map((m) => `${describeMutant(m)} [${m.status}] ${oneLine(m.statusReason ?? '', 120)}`));
  section('listed as equivalent but killed by a test (remove them from mutation-equivalents.md)', summary.killedEquivalents.map(({ mutant }) => describeMutant(mutant)));
  section('stale entries in mutation-equivalents.md (they match no mutant any more)', summary.stale.map((entry) => `line ${entry.at}: ${entry.mutator} at "${entry.line}": ${entry.original} → ${entry.replacement}`));
  if (summary.score < threshold) {
    lines.push(`  FAIL: ${summary.lab} scores ${summary.score.toFixed(1)}%, ${(threshold - summary.score).toFixed(1)} points below the ${threshold}% required`);
  }
  return lines.join('\n');
}
