import type { Accuracy, EvalReport } from './run-eval.js';

const percent = (value: number) => (Number.isNaN(value) ? '-' : `${(value * 100).toFixed(1)}%`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

function accuracyLine(accuracy: Accuracy): string {
  return `${percent(accuracy.all)} (dev ${percent(accuracy.dev)}, heldout ${percent(accuracy.heldout)}; ${accuracy.clips} clips)`;
}

/** The eval figures as a short text for a terminal. */
export function formatEval(report: EvalReport): string {
  const lines = [
    `speech engine: ${report.sttEngine}   classifier: ${report.classifier}`,
    `clips: ${report.clips} (${report.audioSeconds.toFixed(1)} s of audio)`,
    '',
  ];
  for (const [protocol, figures] of Object.entries(report.protocols)) {
    const kinds = Object.entries(figures.wordErrorRateByKind)
      .map(([kind, wer]) => `${kind} ${percent(wer)}`)
      .join(', ');
    lines.push(
      `${protocol}:`,
      `  word error rate                 ${percent(figures.wordErrorRate)} (${kinds})`,
      `  accuracy on transcripts         ${accuracyLine(figures.accuracyOnTranscripts)}`,
      `  accuracy on reference texts     ${accuracyLine(figures.accuracyOnReferenceTexts)}`,
      `  end-to-end latency              p50 ${ms(figures.endToEndMs.p50)}, p90 ${ms(figures.endToEndMs.p90)}`,
    );
  }
  lines.push(
    '',
    `real-time factor (decode)         p50 ${report.realTimeFactor.p50.toFixed(3)}, mean ${report.realTimeFactor.mean.toFixed(3)}`,
    `decode latency                    p50 ${ms(report.decodeMs.p50)}, p90 ${ms(report.decodeMs.p90)}, max ${ms(report.decodeMs.max)}`,
    `classify latency                  p50 ${ms(report.classifyMs.p50)}, p90 ${ms(report.classifyMs.p90)}, max ${ms(report.classifyMs.max)}`,
    `both protocols agree              ${report.protocolsAgree ? 'yes' : 'NO: transcripts or labels differ'}`,
  );
  return `${lines.join('\n')}\n`;
}
