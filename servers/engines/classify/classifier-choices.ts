/**
 * `words`: word vectors alone, microseconds per call on the event loop, the benchmarks'
 * classifier. `sentence`: a sentence encoder beside them, milliseconds per call on a
 * thread of its own, and more accurate (docs/known-limits.md).
 */
export const classifierChoices = ['words', 'sentence'] as const;
export type ClassifierChoice = (typeof classifierChoices)[number];
