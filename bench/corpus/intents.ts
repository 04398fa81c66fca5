/** Typed access to bench/corpus/intents.json: the spoken commands and their intent labels. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './manifest.js';

/** `dev` may be used while building the classifier; `heldout` is only ever used for reporting. */
export type IntentSplit = 'dev' | 'heldout';

export interface IntentCommand {
  /** Lowercase words separated by single spaces. */
  readonly text: string;
  /** One of the set's labels. */
  readonly label: string;
  readonly split: IntentSplit;
}

export interface IntentSet {
  readonly description: string;
  readonly labels: readonly string[];
  readonly commands: readonly IntentCommand[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and validates intents.json; throws an Error naming the first problem. */
export function loadIntentSet(file: string = join(corpusDir, 'intents.json')): IntentSet {
  const fail = (msg: string): never => {
    throw new Error(`intents ${file}: ${msg}`);
  };
  let data: Json;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    return fail(`cannot read it (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(data)) return fail('expected an object');
  const { description, labels, commands } = data;
  if (typeof description !== 'string') return fail('description: expected a string');
  if (
    !Array.isArray(labels) ||
    labels.length === 0 ||
    !labels.every((l) => typeof l === 'string' && l !== '')
  ) {
    return fail('labels: expected a non-empty array of non-empty strings');
  }
  const labelList = labels as string[];
  if (new Set(labelList).size !== labelList.length) fail('labels: duplicate label');
  if (!Array.isArray(commands) || commands.length === 0) return fail('commands: expected a non-empty array');
  const seen = new Set<string>();
  const parsed = commands.map((c, i): IntentCommand => {
    if (!isObject(c)) return fail(`commands[${i}]: expected an object`);
    const { text, label, split } = c;
    if (typeof text !== 'string' || !/^[a-z]+( [a-z]+)*$/.test(text)) {
      return fail(`commands[${i}].text: expected lowercase words separated by single spaces`);
    }
    if (seen.has(text)) fail(`commands[${i}].text: duplicate ${JSON.stringify(text)}`);
    seen.add(text);
    if (typeof label !== 'string' || !labelList.includes(label)) {
      return fail(`commands[${i}].label: expected one of the labels, got ${JSON.stringify(label)}`);
    }
    if (split !== 'dev' && split !== 'heldout') {
      return fail(`commands[${i}].split: expected "dev" or "heldout", got ${JSON.stringify(split)}`);
    }
    return { text, label, split };
  });
  return { description, labels: labelList, commands: parsed };
}

/** The commands of intents.json, in file order. */
export function loadIntents(file?: string): readonly IntentCommand[] {
  return loadIntentSet(file).commands;
}

/** The intent labels of intents.json, in file order. */
export function loadIntentLabels(file?: string): readonly string[] {
  return loadIntentSet(file).labels;
}
