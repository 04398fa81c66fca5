import type { Limits } from './limits.js';
import { invalidArgument } from './service-error.js';

export interface ClassifyInput {
  readonly text: string;
  readonly candidateLabels: readonly string[];
  readonly hypothesisTemplate: string;
}

/** Checks a text and its candidate labels against the limits; throws INVALID_ARGUMENT naming every problem. */
export function checkClassifyInput(input: ClassifyInput, limits: Limits, textOptional = false): void {
  const problems: string[] = [];
  const { text, candidateLabels: labels, hypothesisTemplate } = input;
  if (!textOptional && text.trim() === '') problems.push('text must not be empty');
  if (text.length > limits.maxTextChars) {
    problems.push(`text has ${text.length} characters; the limit is ${limits.maxTextChars}`);
  }
  if (labels.length === 0) problems.push('candidateLabels must hold at least one label');
  if (labels.length > limits.maxLabels) {
    problems.push(`candidateLabels has ${labels.length} labels; the limit is ${limits.maxLabels}`);
  } else {
    const seen = new Set<string>();
    labels.forEach((label, index) => {
      if (label.trim() === '') problems.push(`candidateLabels[${index}] is empty`);
      if (label.length > limits.maxLabelChars) {
        problems.push(
          `candidateLabels[${index}] has ${label.length} characters; the limit is ${limits.maxLabelChars}`,
        );
      }
      if (seen.has(label)) problems.push(`candidateLabels[${index}] repeats "${label}"`);
      seen.add(label);
    });
  }
  if (hypothesisTemplate !== '' && !hypothesisTemplate.includes('{}')) {
    problems.push('hypothesisTemplate must contain {} where the label goes');
  }
  if (hypothesisTemplate.length > limits.maxTextChars) problems.push('hypothesisTemplate is too long');
  if (problems.length > 0) throw invalidArgument(problems.join('; '));
}
