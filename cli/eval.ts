import { formatEval } from '../bench/eval/format-eval.js';
import { runEval } from '../bench/eval/run-eval.js';
import { classifierChoices } from '../servers/engines/classify/classifier-choices.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { choiceOption, parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const evalUsage = `grpc-rest-bench eval [--stt auto|sphinx|reference] [--classifier sentence|words] [--json]
  Runs the speech corpus through the engines over gRPC and REST and prints word
  error rate, classification accuracy on transcripts and on reference texts,
  real-time factor and per-stage latency. The classifier is the sentence encoder
  by default (the accurate one; \`serve\` defaults to the cheaper word vectors).
  --json prints one JSON object on stdout; progress goes to stderr.`;

export async function evaluate(argv: readonly string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    stt: { type: 'string' },
    classifier: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
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
