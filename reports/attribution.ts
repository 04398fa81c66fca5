/**
 * Where a difference between gRPC and REST comes from. Each row compares two variants
 * that differ in one thing only (the transport, the encoding, the framework, the gRPC
 * implementation), so "gRPC is faster" can be split into what it is made of. A row whose
 * pair did not run is shown as missing, never filled in from other rows.
 */
import { formatRatio } from './format.js';
import {
  type CellVerdict,
  type FigureKey,
  figureDefinitions,
  judge,
  type ScenarioView,
  type VariantRow,
} from './report-model.js';

export interface Effect {
  readonly effect: string;
  readonly a: string;
  readonly b: string;
  /** What differs between a and b. */
  readonly differs: string;
}

export const effects: readonly Effect[] = [
  { effect: 'gRPC vs REST', a: 'grpc', b: 'rest-json-h1', differs: 'everything: the usual comparison' },
  {
    effect: 'gRPC vs REST with protobuf',
    a: 'grpc',
    b: 'rest-proto-h1',
    differs: 'HTTP/2 and gRPC framing vs HTTP/1.1, grpc-js vs Fastify; same messages',
  },
  {
    effect: 'gRPC vs REST with raw audio',
    a: 'grpc',
    b: 'rest-binary-h1',
    differs: 'what a pragmatic REST API does with audio: a raw WAV body, JSON answers',
  },
  { effect: 'transport', a: 'rest-json-h2', b: 'rest-json-h1', differs: 'HTTP/2 vs HTTP/1.1' },
  { effect: 'encoding', a: 'rest-proto-h1', b: 'rest-json-h1', differs: 'protobuf vs JSON' },
  {
    effect: 'framework',
    a: 'grpc',
    b: 'rest-json-h2',
    differs:
      'grpc-js vs Fastify over HTTP/2, and protobuf vs JSON (there is no protobuf REST over HTTP/2 variant)',
  },
  {
    effect: 'implementation',
    a: 'grpc',
    b: 'grpc-connect',
    differs: 'grpc-js vs connect-node, same protocol',
  },
  { effect: 'raw audio', a: 'rest-binary-h1', b: 'rest-json-h1', differs: 'raw WAV body vs base64 in JSON' },
  {
    effect: 'framework (HTTP/1.1 JSON)',
    a: 'connect-json-h1',
    b: 'rest-json-h1',
    differs: 'connect-node vs Fastify: same transport, same JSON messages',
  },
  {
    effect: 'encoding (Connect)',
    a: 'connect-proto-h1',
    b: 'connect-json-h1',
    differs: 'protobuf vs JSON on the same Connect server',
  },
  {
    effect: 'browser bridge',
    a: 'grpc-web-h1',
    b: 'grpc-connect',
    differs:
      'gRPC-Web over HTTP/1.1 vs gRPC over HTTP/2, both connect-node: what reaching gRPC from a browser costs',
  },
  {
    effect: 'gRPC-Web vs Connect',
    a: 'grpc-web-h1',
    b: 'connect-proto-h1',
    differs: 'trailers in the body and 5-byte framing vs a plain unary body; same server, same protobuf',
  },
];

const figures: readonly { key: FigureKey; label: string }[] = [
  { key: 'rps', label: 'throughput' },
  { key: 'p50', label: 'p50' },
  { key: 'p99', label: 'p99' },
  { key: 'requestBytes', label: 'request bytes' },
  { key: 'responseBytes', label: 'response bytes' },
];

export const attributionColumns: readonly string[] = figures.map((f) => f.label);

export interface AttributionCell {
  /** "×1.35" (a ÷ b), with "better"/"worse" for a only when the paired ratio's interval excludes 1. */
  readonly text: string;
  readonly verdict: CellVerdict | undefined;
}

export interface AttributionRow extends Effect {
  /** Undefined when one of the pair did not run in this scenario. */
  readonly cells: readonly AttributionCell[] | undefined;
  readonly note: string | undefined;
}

function cellsOf(a: VariantRow, b: VariantRow): AttributionCell[] {
  return figures.map(({ key }) => {
    const definition = figureDefinitions.find((d) => d.key === key)!;
    const ratio = a.figures[key].median / b.figures[key].median;
    const verdict = judge(a.figures[key], b.figures[key], definition, { a: a.variant, b: b.variant });
    const word = verdict === 'better' || verdict === 'worse' ? ` ${verdict}` : '';
    return { text: Number.isFinite(ratio) ? `${formatRatio(ratio)}${word}` : '–', verdict };
  });
}

export function attributionRows(view: ScenarioView): AttributionRow[] {
  const rpc = view.rows[0]?.result.rpc;
  const byVariant = new Map(view.rows.map((row) => [row.variant, row]));
  return effects.map((effect) => {
    const a = byVariant.get(effect.a);
    const b = byVariant.get(effect.b);
    const note =
      effect.effect === 'raw audio' && rpc === 'classify'
        ? 'classify has no audio, so both send the same JSON: an A/A control that shows the noise of this run'
        : a && b
          ? undefined
          : `not measured here: ${[a ? undefined : effect.a, b ? undefined : effect.b].filter(Boolean).join(' and ')} did not run`;
    return { ...effect, cells: a && b ? cellsOf(a, b) : undefined, note };
  });
}

/** Only where the scenario ran at least one pair. */
export function hasAttribution(view: ScenarioView): boolean {
  return attributionRows(view).some(
    (row) => row.cells !== undefined && !row.effect.startsWith('gRPC vs REST'),
  );
}

export const attributionHowToRead =
  'Each row divides the first variant by the second, which differ only in what the row names; "better" or "worse" (for the first variant) appears only when the 95% interval of the ratio over pairs of repetitions (each pair from the same round) excludes 1. Throughput above ×1 and latency or bytes below ×1 favour the first variant.';
