import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntentSet } from '../../../../bench/corpus/intents.js';
import { startTestServers, type TestServers } from '../../../../test/support/test-servers.js';
import type { Classification, ClassifyOptions } from '../../../core/engines.js';
import { ServiceError } from '../../../core/service-error.js';
import { createEmbeddingClassifier } from '../embedding/index.js';
import { SentenceClassifier } from './sentence-classifier.js';
import { SentenceEncoder } from './sentence-encoder.js';

const corpus = loadIntentSet();
const labels = corpus.labels;
const SINGLE: ClassifyOptions = { multiLabel: false, hypothesisTemplate: '' };
const MULTI: ClassifyOptions = { multiLabel: true, hypothesisTemplate: '' };

let classifier: SentenceClassifier;

beforeAll(async () => {
  classifier = new SentenceClassifier(await SentenceEncoder.start(), await createEmbeddingClassifier());
}, 180_000);

afterAll(() => classifier?.close());

function expectWellFormed(result: Classification, candidates: readonly string[]): void {
  expect([...result.labels].sort()).toEqual([...candidates].sort());
  expect(result.scores).toHaveLength(candidates.length);
  expect(result.scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
  for (let i = 1; i < result.scores.length; i++)
    expect(result.scores[i]!).toBeLessThanOrEqual(result.scores[i - 1]!);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('SentenceClassifier quality on bench/corpus/intents.json (label names only)', () => {
  it('reaches 80% top-1 overall, and holds it on the held-out split', async () => {
    const correct = { dev: 0, heldout: 0 };
    const total = { dev: 0, heldout: 0 };
    for (const command of corpus.commands) {
      total[command.split]++;
      const result = await classifier.classify(command.text, labels, SINGLE);
      if (result.labels[0] === command.label) correct[command.split]++;
    }
    const percent = (c: number, n: number) => `${((100 * c) / n).toFixed(1)}% (${c}/${n})`;
    const all = correct.dev + correct.heldout;
    const n = total.dev + total.heldout;
    console.log(
      `sentence classifier top-1 accuracy: all ${percent(all, n)}, dev ${percent(correct.dev, total.dev)}, ` +
        `heldout ${percent(correct.heldout, total.heldout)}`,
    );
    // Measured 84.3% (dev 78.6%, held-out 92.9%); the word weight was chosen on dev alone.
    expect(all / n).toBeGreaterThanOrEqual(0.8);
    expect(correct.heldout / total.heldout).toBeGreaterThanOrEqual(0.75);
  });
});

describe('SentenceClassifier behaviour', () => {
  it('gives single-label scores that sum to 1 and independent multi-label scores', async () => {
    const single = await classifier.classify('play some jazz music', labels, SINGLE);
    expectWellFormed(single, labels);
    expect(single.labels[0]).toBe('music');
    expect(sum(single.scores)).toBeCloseTo(1, 9);
    const multi = await classifier.classify('play some jazz music', labels, MULTI);
    expectWellFormed(multi, labels);
    expect(multi.labels[0]).toBe('music');
    const alone = await classifier.classify('play some jazz music', ['music'], MULTI);
    expect(alone.scores[0]).toBe(multi.scores[0]);
  });

  it('is deterministic, whatever its label cache holds', async () => {
    const first = await classifier.classify('remind me to buy milk tomorrow', labels, SINGLE);
    const fresh = new SentenceClassifier(await SentenceEncoder.start(), await createEmbeddingClassifier());
    try {
      expect(await fresh.classify('remind me to buy milk tomorrow', labels, SINGLE)).toEqual(first);
      expect(await classifier.classify('remind me to buy milk tomorrow', labels, SINGLE)).toEqual(first);
    } finally {
      await fresh.close();
    }
  });

  it('applies the hypothesis template, with or without a placeholder', async () => {
    const plain = await classifier.classify('will it rain tomorrow', labels, SINGLE);
    const templated = await classifier.classify('will it rain tomorrow', labels, {
      multiLabel: false,
      hypothesisTemplate: 'This request is about {}.',
    });
    expectWellFormed(templated, labels);
    expect(templated.labels[0]).toBe('weather');
    expect(templated.scores).not.toEqual(plain.scores);
    expectWellFormed(
      await classifier.classify('will it rain tomorrow', labels, {
        multiLabel: true,
        hypothesisTemplate: 'about',
      }),
      labels,
    );
  });

  it('answers uniformly, in input order, for a blank text', async () => {
    const result = await classifier.classify('   ', labels, SINGLE);
    expect(result.labels).toEqual(labels);
    for (const score of result.scores) expect(score).toBeCloseTo(1 / labels.length, 12);
  });

  it('copes with odd labels and text', async () => {
    const odd = ['music', 'qzxvw', '', 'music', 'the', 'Café ☕', '東京', 'x'.repeat(500)];
    for (const options of [SINGLE, MULTI]) {
      expectWellFormed(await classifier.classify('play some jazz music 😀', odd, options), odd);
      expectWellFormed(await classifier.classify('😀🎵 東京', odd, options), odd);
    }
  });

  it('encodes on its own thread: the event loop stays free while it works', async () => {
    const text = 'please turn the kitchen lights on and play some music while it rains '.repeat(40);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    // Distinct texts, so that nothing is served from a cache.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => classifier.classify(`${i} ${text}`, labels, SINGLE)),
    );
    const busyMs = performance.now() - started;
    delay.disable();
    const worstStallMs = delay.max / 1e6;
    console.log(
      `8 long texts encoded in ${busyMs.toFixed(0)} ms; worst event-loop stall ${worstStallMs.toFixed(1)} ms`,
    );
    // Encoding on this thread would stall it for the whole encoding time.
    expect(worstStallMs).toBeLessThan(Math.max(50, busyMs / 4));
  });

  it('fails calls with UNAVAILABLE once its encoder has gone, rather than hang', async () => {
    const closing = new SentenceClassifier(await SentenceEncoder.start(), await createEmbeddingClassifier());
    await closing.close();
    const failure = await closing
      .classify('play some music', labels, SINGLE)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceError);
    expect((failure as ServiceError).code).toBe('UNAVAILABLE');
  });
});

describe('the sentence classifier behind both protocols', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers({ classifier: 'sentence' });
  }, 180_000);
  afterAll(() => servers?.close());

  it('gives the same answer over gRPC and REST, and says which classifier served', async () => {
    const request = {
      text: 'how long is the drive to boston',
      candidateLabels: [...labels],
      multiLabel: false,
      hypothesisTemplate: '',
    };
    const [overGrpc, overRest] = await Promise.all([
      servers.grpc.classify(request),
      servers.rest.classify(request),
    ]);
    expect(overGrpc).toEqual(overRest);
    expect(overGrpc.labels).toHaveLength(labels.length);
    expect(servers.service.serverInfo().classifier).toBe('sentence-use+sg100d');
  });
});
