/** The sizes report as tables for a terminal (and for docs/message-sizes.md). */
import type { CodecTiming } from './codec-timing.js';
import type { MessageReport, SizesReport } from './run-sizes.js';
import { formatChange } from './size-verdict.js';

const bytes = (n: number) => n.toLocaleString('en-US');

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 10_000 ? 2 : 1)} µs`;
  return `${(ns / 1_000_000).toFixed(ns < 10_000_000 ? 2 : 1)} ms`;
}

const ratio = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)}×`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The first column is a name, left-aligned; the others are numbers.
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Wraps a note at word boundaries, as a list item with hanging indent. */
export function wrapNote(note: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '-';
  for (const word of note.split(' ')) {
    if (line.length + 1 + word.length > width && line.length > 2) {
      lines.push(line);
      line = ' ';
    }
    line = `${line} ${word}`;
  }
  return [...lines, line];
}

const nameOf = (m: MessageReport) => `${m.direction === 'request' ? 'req' : 'res'} ${m.id}`;

function verdictOf(m: MessageReport): string {
  const yesNo = (holds: boolean) => (holds ? 'yes' : 'no');
  return `${yesNo(m.verdict.holds)}; gzipped ${yesNo(m.verdict.holdsGzipped)}`;
}

function timingCells(t: CodecTiming): string[] {
  return [formatNs(t.protobufNs), formatNs(t.jsonNs), ratio(t.jsonOverProtobuf)];
}

export function formatSizes(report: SizesReport): string {
  const env = report.environment;
  const claim = `${Math.round(report.claimedSaving * 100)}%`;
  const lines = [
    `node ${env.node} · ${env.cpuModel} · ${env.cores} cores · ${env.os} · ts-proto ${env.packages['ts-proto']}`,
    '',
    'Messages (the corpus; responses answered by the service core, reference STT engine):',
    ...report.messages.map((m) => `  ${nameOf(m).padEnd(19)} ${m.type}: ${m.description}`),
    '',
    `Bytes per message (gzip: node:zlib gzipSync, level ${report.gzipLevel}; JSON: canonical proto3 JSON, UTF-8);`,
    'pb vs JSON: protobuf size against JSON size (-30% = protobuf 30% smaller), gzipped: the same after gzip',
    ...table(
      ['message', 'protobuf', 'JSON', 'gzip(JSON)', 'gzip(pb)', 'pb vs JSON', 'gzipped', `${claim} smaller?`],
      report.messages.map((m) => [
        nameOf(m),
        bytes(m.sizes.protobuf),
        bytes(m.sizes.json),
        bytes(m.sizes.gzipJson),
        bytes(m.sizes.gzipProtobuf),
        formatChange(m.sizes.protobufSaving),
        formatChange(m.sizes.gzipProtobufSaving),
        verdictOf(m),
      ]),
    ),
    '',
    `Time per message, median of interleaved rounds (protobuf: ${report.timing.protobuf};`,
    `JSON: ${report.timing.json}); ×: JSON time / protobuf time`,
    ...table(
      ['message', 'enc pb', 'enc JSON', 'enc ×', 'dec pb', 'dec JSON', 'dec ×', 'rounds'],
      report.messages.map((m) => [
        nameOf(m),
        ...timingCells(m.timings.encode),
        ...timingCells(m.timings.decode),
        String(m.timings.rounds),
      ]),
    ),
    '',
    `Where "protobuf is ${claim} smaller" holds:`,
    ...report.notes.flatMap((note) => wrapNote(note)),
  ];
  return `${lines.join('\n')}\n`;
}
