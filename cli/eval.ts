import { formatEval } from '../bench/eval/format-eval.js';
import { runEval } from '../bench/eval/run-eval.js';
import { classifierChoices } from '../servers/engines/classify/classifier-choices.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { choiceOption } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'Word error rate, classification accuracy and latency of the engines on the corpus.',
  description:
    'Runs the speech corpus through the engines over gRPC and REST and prints word error rate, classification accuracy on transcripts and on reference texts, real-time factor and per-stage latency. Progress goes to stderr.',
  options: {
    stt: {
      type: 'string',
      value: sttChoices.join('|'),
      defaultText: 'auto',
      description: 'speech engine (auto: sphinx where installed)',
    },
    classifier: {
      type: 'string',
      value: classifierChoices.join('|'),
      defaultText: 'sentence',
      description:
        'zero-shot classifier (the accurate sentence encoder; serve defaults to the cheaper word vectors)',
    },
    json: { type: 'boolean', default: false, description: 'one JSON object on stdout' },
  },
  examples: ['grpc-rest-bench eval --stt sphinx --json'],
});

export async function evaluate(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(evalCommand, argv);
  const problems: string[] = [];
  const stt = choiceOption('stt', values.stt, sttChoices, 'auto', problems);
  const classifier = choiceOption('classifier', values.classifier, classifierChoices, 'sentence', problems);
  if (problems.length > 0) throw new UsageError(problems);
  const report = await runEval({
    stt,
    classifier,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatEval(report));
  return 0;
}
