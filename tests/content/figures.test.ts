/**
 * One table of sourced figures (src/facts/figures.ts), and everything that states a figure agrees
 * with it: lessons (outside the lecture's own quoted bullets), glossary entries, diagrams, quiz
 * generators and the questions they draw. Change a figure in the table and this test names every
 * file, line and generated question that still states the old one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIGURES, figure, formatFigure, type SourcedFigure } from '../../src/facts/figures.ts';
import { generators } from '../../src/quiz/generators/index.ts';
import { quizRandom } from '../../src/quiz/random.ts';

const root = new URL('../../', import.meta.url);
const table = Object.entries(FIGURES) as [string, SourcedFigure][];

interface SourceFile {
  path: string;
  text: string;
}

function filesIn(folder: string, extension: string): SourceFile[] {
  return readdirSync(new URL(folder, root))
    .filter((name) => name.endsWith(extension))
    .map((name) => ({ path: `${folder}${name}`, text: readFileSync(new URL(`${folder}${name}`, root), 'utf8') }));
}

/** The lecture's bullets are quoted verbatim (and checked by lecture-quotes.test.ts); blank them, keeping line numbers. */
function withoutLectureQuotes(text: string): string {
  return text.replace(/<Lecture\b[\s\S]*?<\/Lecture>/g, (quote) => quote.replace(/[^\n]/g, ' '));
}

const lessons = filesIn('content/lessons/', '.mdx').map((file) => ({ ...file, text: withoutLectureQuotes(file.text) }));
const statingFiles: SourceFile[] = [
  ...lessons,
  ...filesIn('content/glossary/', '.yaml'),
  ...filesIn('src/components/diagrams/', '.astro'),
  ...filesIn('src/quiz/generators/', '.ts'),
];

/** Line number (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Numbers a figure's value is written with: [low, high], [max] or [value]. */
function numbersOf(fig: SourcedFigure): number[] {
  const { value } = fig;
  return value.kind === 'range' ? [value.low, value.high] : value.kind === 'upTo' ? [value.max] : [value.value];
}

/** Percentage ranges ("1–3%", "3-8 %") and ceilings ("up to 10%") written out in `text`. */
function statedPercentages(text: string): { offset: number; literal: string; kind: 'range' | 'upTo'; numbers: number[] }[] {
  const found = [];
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)\s*[–-]\s*(\d+(?:\.\d+)?)\s*%/g)) {
    found.push({ offset: match.index, literal: match[0], kind: 'range' as const, numbers: [Number(match[1]), Number(match[2])] });
  }
  for (const match of text.matchAll(/up to (\d+(?:\.\d+)?)\s*%/gi)) {
    found.push({ offset: match.index, literal: match[0], kind: 'upTo' as const, numbers: [Number(match[1])] });
  }
  return found;
}

/** The percentage figures of the table, as "kind:numbers" keys. */
const percentageKeys = new Set(
  table.filter(([, fig]) => fig.unit === '%' && fig.value.kind !== 'exact').map(([, fig]) => `${fig.value.kind}:${numbersOf(fig).join(',')}`),
);
const percentageList = table
  .filter(([, fig]) => fig.unit === '%' && fig.value.kind !== 'exact')
  .map(([id, fig]) => `${id} = ${formatFigure(fig)}`)
  .join('; ');

/** Where `text` states a percentage range or ceiling that is no figure of the table. */
function strayPercentages(path: string, text: string): string[] {
  return statedPercentages(text)
    .filter((stated) => !percentageKeys.has(`${stated.kind}:${stated.numbers.join(',')}`))
    .map((stated) => `${path}:${lineOf(text, stated.offset)} states "${stated.literal}"`);
}

/** Where `text` states a table figure (by one of its statedAs patterns) with other numbers than the table's. */
function disagreements(path: string, text: string): string[] {
  const found: string[] = [];
  for (const [id, fig] of table) {
    for (const pattern of fig.statedAs ?? []) {
      for (const match of text.matchAll(pattern)) {
        const stated = match.slice(1).filter((group) => group !== undefined).map(Number);
        if (stated.join(',') !== numbersOf(fig).slice(0, stated.length).join(',')) {
          found.push(`${path}:${lineOf(text, match.index)} states "${match[0]}", but ${id} is ${formatFigure(fig)}`);
        }
      }
    }
  }
  return found;
}

describe('the table of sourced figures', () => {
  it('gives every figure a source and a well-formed value', () => {
    for (const [id, fig] of table) {
      expect(fig.source.length, id).toBeGreaterThan(10);
      expect(fig.what.length, id).toBeGreaterThan(10);
      for (const n of numbersOf(fig)) expect(Number.isFinite(n), id).toBe(true);
      if (fig.value.kind === 'range') expect(fig.value.low, id).toBeLessThan(fig.value.high);
    }
  });

  it("states the lecture's figures as the lecture's own slides do", () => {
    const lecture = readFileSync(new URL('content/lecture/lecture-24-virtualization.txt', root), 'utf8');
    const lectureFigures = table.filter(([id]) => id.startsWith('lecture-'));
    expect(lectureFigures.length).toBeGreaterThanOrEqual(4);
    for (const [id, fig] of lectureFigures) {
      const { value } = fig;
      const spelled = value.kind === 'range' ? `${value.low}-${value.high}%` : value.kind === 'upTo' ? `up to ${value.max}%` : `${value.value}`;
      expect(lecture, `${id} (${spelled}) is not what the lecture says`).toContain(spelled);
    }
  });

  it('formats figures the way lessons read them', () => {
    expect(formatFigure(FIGURES['lecture-isolation-overhead'])).toBe('1–3%');
    expect(formatFigure(FIGURES['lecture-hypervisor-overhead'])).toBe('up to 10%');
    expect(formatFigure(FIGURES['clark-specweb-downtime'])).toBe('210 ms');
    expect(formatFigure(FIGURES['waldspurger-idle-cost'])).toBe('4×');
  });

  it("keeps Waldspurger's idle cost consistent with his default tax rate: k = 1 / (1 − τ)", () => {
    const tau = FIGURES['waldspurger-tax-rate'].value.value / 100;
    expect(FIGURES['waldspurger-idle-cost'].value.value).toBeCloseTo(1 / (1 - tau), 9);
  });

  it('refuses an unknown id with a message that names the table', () => {
    expect(() => figure('no-such-figure')).toThrow(/src\/facts\/figures\.ts/);
  });

  it('has no figure that nothing states (each entry is used by a lesson, diagram or generator)', () => {
    const everything = statingFiles.map((file) => file.text).join('\n');
    const unused = table.map(([id]) => id).filter((id) => !everything.includes(`'${id}'`) && !everything.includes(`"${id}"`));
    expect(unused).toEqual([]);
  });
});

describe('what lessons, glossary, diagrams and generators state', () => {
  it('reads the files it checks', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(7);
    expect(statingFiles.length).toBeGreaterThan(90);
  });

  it('states no percentage range or ceiling that is not a figure of the table', () => {
    const stray = statingFiles.flatMap((file) => strayPercentages(file.path, file.text));
    expect(stray, `Use <Fact id="…" /> or a figure from src/facts/figures.ts (${percentageList})`).toEqual([]);
  });

  it('states each named figure with the numbers of the table', () => {
    expect(statingFiles.flatMap((file) => disagreements(file.path, file.text))).toEqual([]);
  });

  it('names only figures that exist in <Fact id="…" />', () => {
    const unknown = lessons.flatMap((file) =>
      [...file.text.matchAll(/<Fact\s+id="([^"]+)"/g)]
        .filter((match) => !(match[1]! in FIGURES))
        .map((match) => `${file.path}:${lineOf(file.text, match.index)} <Fact id="${match[1]}">`),
    );
    expect(unknown).toEqual([]);
  });

  it('generates questions that state only the figures of the table', () => {
    const stray: string[] = [];
    for (const [name, generator] of generators) {
      for (let seed = 0; seed < 300; seed++) {
        const instance = generator(quizRandom(seed * 7_919, 'figures'));
        const text = `${instance.prompt}\n${instance.explanation}`;
        stray.push(...strayPercentages(`${name} (seed ${seed * 7_919})`, text), ...disagreements(`${name} (seed ${seed * 7_919})`, text));
      }
    }
    expect([...new Set(stray)]).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('catch a lesson that states a figure the table no longer has', () => {
    // Figures no table would hold, so these checks do not depend on the table's current values.
    expect(strayPercentages('lesson.mdx', 'Xen has\noverhead of 3–97% here')).toEqual(['lesson.mdx:2 states "3–97%"']);
    expect(strayPercentages('lesson.mdx', 'hypervisors: up to 97%')).toHaveLength(1);
    const xen = FIGURES['lecture-xen-overhead'].value;
    expect(strayPercentages('lesson.mdx', `Xen ${xen.low}-${xen.high} %, or ${formatFigure(FIGURES['lecture-isolation-overhead'])}`)).toEqual([]);
  });

  it('catch a named figure stated with other numbers', () => {
    const count = FIGURES['robin-irvine-count'].value.value;
    expect(disagreements('lesson.mdx', `Robin and Irvine found ${count + 1} sensitive, unprivileged instructions`)).toHaveLength(1);
    expect(disagreements('lesson.mdx', `Robin and Irvine found ${count} sensitive, unprivileged instructions`)).toEqual([]);
    expect(disagreements('lesson.mdx', `about ${FIGURES['clark-specweb-downtime'].value.value + 10} ms for a web server`)).toHaveLength(1);
  });

  it('ignore the lecture quotes but keep line numbers', () => {
    const text = 'a\n<Lecture slide="x">\n- 1-4%\n</Lecture>\nb 1-4%';
    expect(strayPercentages('l.mdx', withoutLectureQuotes(text))).toEqual(['l.mdx:5 states "1-4%"']);
  });
});
