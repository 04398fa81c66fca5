import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import { coveringChunk, planChunks } from './audio-chunks.js';
import { NdjsonLines } from './ndjson-lines.js';
import { chunkCounts, type StreamOutcome } from './stream-record.js';

describe('planChunks', () => {
  const audio = { pcm: new Uint8Array(2 * 1000), sampleRateHertz: 1000 };

  it('cuts whole samples into chunkMs pieces, the last one short', () => {
    const plan = planChunks(audio, 300);
    expect(plan.chunks.map((c) => c.length)).toEqual([600, 600, 600, 200]);
    expect(plan.endSamples).toEqual([300, 600, 900, 1000]);
    expect(plan.audioSeconds).toBe(1);
  });

  it('maps a result to the first chunk whose end reaches its audio', () => {
    const plan = planChunks(audio, 300);
    expect([0, 1, 300, 301, 900, 901, 1000].map((s) => coveringChunk(plan, s))).toEqual([
      0, 0, 0, 1, 2, 3, 3,
    ]);
  });

  it('rejects audio it cannot pace', () => {
    expect(() => planChunks(audio, 0)).toThrow(RangeError);
    expect(() => planChunks({ pcm: new Uint8Array(3), sampleRateHertz: 1000 }, 100)).toThrow(RangeError);
    expect(() => planChunks({ ...audio, sampleRateHertz: 0 }, 100)).toThrow(RangeError);
  });
});

describe('chunkCounts', () => {
  const outcomes: StreamOutcome[] = ['ok', 'failed', 'timedOut', 'cancelled', 'notSent'];

  it.each(outcomes)('balances for a stream that ended %s', (outcome) => {
    for (const handedOver of [0, 3, 10]) {
      for (const covered of [0, 2, handedOver]) {
        const counts = chunkCounts({ planned: 10, handedOver, covered, outcome, code: 'INTERNAL' });
        expect(balanceProblems(counts)).toEqual([]);
        expect(counts.notSent).toBe(10 - handedOver);
      }
    }
  });

  it('charges uncovered chunks to the way the stream ended', () => {
    expect(
      chunkCounts({ planned: 10, handedOver: 6, covered: 0, outcome: 'timedOut', code: undefined }),
    ).toMatchObject({ timedOut: 6, notSent: 4, ok: 0 });
    expect(
      chunkCounts({ planned: 10, handedOver: 10, covered: 7, outcome: 'failed', code: 'DATA_LOSS' }),
    ).toMatchObject({ ok: 7, failed: 3, failedByCode: { DATA_LOSS: 3 } });
  });
});

describe('NdjsonLines', () => {
  it('yields lines as they complete, across chunk boundaries', () => {
    const lines = new NdjsonLines();
    expect(lines.push(Buffer.from('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(lines.push(Buffer.from(':2}\n\n'))).toEqual(['{"b":2}']);
    expect(lines.rest).toBe('');
  });
});
