import { performance } from 'node:perf_hooks';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import type { SpeechClient } from '../../clients/speech-client.js';
import { AudioEncoding } from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import type { ClassifierChoice } from '../../servers/engines/classify/classifier-choices.js';
import type { SttChoice } from '../../servers/engines/stt/select-stt.js';
import { startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';
import { loadIntentLabels } from '../corpus/intents.js';
import { type CorpusClip, loadManifest, readClipAudio } from '../corpus/manifest.js';
import { loadReferenceClips } from '../corpus/reference-clips.js';
import { type Summary, summarize } from '../stats/quantile.js';
import { corpusWordErrorRate, type WordErrors, wordErrors } from './word-error-rate.js';

export interface EvalOptions {
  readonly stt: SttChoice;
  readonly classifier: ClassifierChoice;
  readonly onProgress?: (message: string) => void;
}

export interface Accuracy {
  readonly all: number;
  readonly dev: number;
  readonly heldout: number;
  readonly clips: number;
}

export interface ProtocolFigures {
  readonly wordErrorRate: number;
  readonly wordErrorRateByKind: Record<string, number>;
  readonly accuracyOnTranscripts: Accuracy;
  readonly accuracyOnReferenceTexts: Accuracy;
  /** Client-side milliseconds per TranscribeAndClassify call. */
  readonly endToEndMs: Summary;
}

export interface EvalReport {
  readonly sttEngine: string;
  readonly classifier: string;
  readonly clips: number;
  readonly audioSeconds: number;
  /** Decoder seconds per audio second (server side). */
  readonly realTimeFactor: Summary;
  readonly decodeMs: Summary;
  readonly classifyMs: Summary;
  readonly protocols: { readonly grpc: ProtocolFigures; readonly rest: ProtocolFigures };
  /** Whether both protocols returned the very same transcripts and labels. */
  readonly protocolsAgree: boolean;
}

interface ClipResult {
  readonly clip: CorpusClip;
  readonly transcript: string;
  readonly predicted: string | undefined;
  readonly predictedFromText: string | undefined;
  readonly decodeMs: number;
  readonly classifyMs: number;
  readonly endToEndMs: number;
}

function accuracy(results: readonly ClipResult[], pick: (r: ClipResult) => string | undefined): Accuracy {
  const labelled = results.filter((r) => r.clip.label !== null);
  const rate = (subset: readonly ClipResult[]) =>
    subset.length === 0 ? Number.NaN : subset.filter((r) => pick(r) === r.clip.label).length / subset.length;
  return {
    all: rate(labelled),
    dev: rate(labelled.filter((r) => r.clip.split === 'dev')),
    heldout: rate(labelled.filter((r) => r.clip.split === 'heldout')),
    clips: labelled.length,
  };
}

async function evaluateClip(client: SpeechClient, clip: CorpusClip, labels: string[]): Promise<ClipResult> {
  const config = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
  const classifyFields = { candidateLabels: labels, multiLabel: false, hypothesisTemplate: '' };
  const start = performance.now();
  const answer = await client.transcribeAndClassify(
    { audio: readClipAudio(clip), config, ...classifyFields },
    { deadlineMs: 120_000 },
  );
  const endToEndMs = performance.now() - start;
  const fromText =
    clip.label === null ? undefined : await client.classify({ text: clip.text, ...classifyFields });
  return {
    clip,
    transcript: answer.transcription?.transcript ?? '',
    predicted: answer.classification?.labels[0],
    predictedFromText: fromText?.labels[0],
    decodeMs: (answer.timings?.decodeUs ?? 0) / 1000,
    classifyMs: (answer.timings?.classifyUs ?? 0) / 1000,
    endToEndMs,
  };
}

function figuresOf(results: readonly ClipResult[]): ProtocolFigures {
  const errors = results.map((r) => ({ kind: r.clip.kind, errors: wordErrors(r.clip.text, r.transcript) }));
  const byKind: Record<string, WordErrors[]> = {};
  for (const { kind, errors: e } of errors) {
    byKind[kind] ??= [];
    byKind[kind].push(e);
  }
  return {
    wordErrorRate: corpusWordErrorRate(errors.map((e) => e.errors)),
    wordErrorRateByKind: Object.fromEntries(
      Object.entries(byKind).map(([k, v]) => [k, corpusWordErrorRate(v)]),
    ),
    accuracyOnTranscripts: accuracy(results, (r) => r.predicted),
    accuracyOnReferenceTexts: accuracy(results, (r) => r.predictedFromText),
    endToEndMs: summarize(results.map((r) => r.endToEndMs)),
  };
}

/**
 * Runs every corpus clip through the real engines over both protocols, one call at
 * a time so that stage latencies are not queueing time.
 */
export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const progress = options.onProgress ?? (() => {});
  const manifest = loadManifest();
  const labels = [...loadIntentLabels()];
  const runtime = await createSpeechRuntime(
    { choice: options.stt, realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
    { classifier: options.classifier },
  );
  const host = '127.0.0.1';
  const grpcServer = await startGrpcServer({ service: runtime.service, host, port: 0 });
  const restServer = await startRestServer({ service: runtime.service, host, port: 0 });
  const clients = {
    grpc: new GrpcSpeechClient({ host, port: grpcServer.port }),
    rest: new RestSpeechClient({ host, port: restServer.port }),
  };
  const info = runtime.service.serverInfo();
  progress(
    `eval: ${manifest.clips.length} clips, stt ${info.sttEngine} (${runtime.sttWhy}), over gRPC and REST`,
  );
  try {
    const results: { grpc: ClipResult[]; rest: ClipResult[] } = { grpc: [], rest: [] };
    for (const [index, clip] of manifest.clips.entries()) {
      // Alternate which protocol goes first, so that neither always meets a warm cache.
      const order = index % 2 === 0 ? (['grpc', 'rest'] as const) : (['rest', 'grpc'] as const);
      for (const protocol of order)
        results[protocol].push(await evaluateClip(clients[protocol], clip, labels));
      const last = results.grpc.at(-1)!;
      progress(
        `[${index + 1}/${manifest.clips.length}] ${clip.id}: "${last.transcript}" → ${last.predicted ?? '-'}`,
      );
    }
    const all = [...results.grpc, ...results.rest];
    const agree = results.grpc.every(
      (r, i) => r.transcript === results.rest[i]!.transcript && r.predicted === results.rest[i]!.predicted,
    );
    return {
      sttEngine: info.sttEngine,
      classifier: info.classifier,
      clips: manifest.clips.length,
      audioSeconds: manifest.clips.reduce((sum, clip) => sum + clip.durationSeconds, 0),
      realTimeFactor: summarize(all.map((r) => r.decodeMs / 1000 / r.clip.durationSeconds)),
      decodeMs: summarize(all.map((r) => r.decodeMs)),
      classifyMs: summarize(all.map((r) => r.classifyMs)),
      protocols: { grpc: figuresOf(results.grpc), rest: figuresOf(results.rest) },
      protocolsAgree: agree,
    };
  } finally {
    clients.grpc.close();
    clients.rest.close();
    await Promise.all([grpcServer.close(), restServer.close()]);
    await runtime.close();
  }
}
