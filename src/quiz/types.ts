/** The shapes of quiz questions, shared by the build-time components and the browser script. */
import type { QuizRandom } from './random.ts';

export interface ChoiceOption {
  text: string;
  correct?: boolean;
  /** Why this option is right or wrong; shown after the learner answers. */
  explain: string;
}

export interface SingleChoiceSpec {
  kind: 'single';
  id: string;
  options: ChoiceOption[];
  explanation: string;
}

export interface MultiSelectSpec {
  kind: 'multi';
  id: string;
  options: ChoiceOption[];
  explanation: string;
}

/** A numeric answer, fixed or drawn by a named generator from the learner's seed. */
export interface NumericSpec {
  kind: 'numeric';
  id: string;
  answer?: number;
  tolerance?: number;
  relative?: boolean;
  unit?: string;
  explanation?: string;
  generator?: string;
}

export interface OrderingSpec {
  kind: 'ordering';
  id: string;
  /** In the correct order; the page shows them shuffled. */
  items: string[];
  explanation: string;
}

export interface MatchingPair {
  left: string;
  right: string;
}

export interface MatchingSpec {
  kind: 'matching';
  id: string;
  pairs: MatchingPair[];
  explanation: string;
}

export type QuestionSpec = SingleChoiceSpec | MultiSelectSpec | NumericSpec | OrderingSpec | MatchingSpec;

/** One drawing of a generated numeric question. */
export interface NumericInstance {
  prompt: string;
  answer: number;
  /** Absolute unless `relative` is set, in which case a fraction of the answer (0.02 = 2%). */
  tolerance: number;
  relative?: boolean;
  unit?: string;
  explanation: string;
}

/** Draws a numeric question's parameters; must be pure given the random source. */
export type NumericGenerator = (rng: QuizRandom) => NumericInstance;

/** The outcome of checking one answer. */
export interface Verdict {
  correct: boolean;
  /** Feedback for the learner: what was right or wrong about this answer. */
  feedback: string[];
}
