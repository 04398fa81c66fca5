import { describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys.js';
import { PushbackError } from './pushback.js';
import { RequestGate } from './request-gate.js';

const key = 'sk-secret-key-123456';
const keys = () => new ApiKeys([{ id: 'alice', key }]);
const answer = {
  transcript: 'turn on the lights',
  audioDuration: 2.5,
  words: [],
  confidence: 1,
  engine: 'x',
};

function gateLogging(payloads: boolean) {
  const lines: string[] = [];
  const gate = new RequestGate({ apiKeys: keys(), log: { write: (line) => lines.push(line), payloads } });
  for (const authorization of [`Bearer ${key}`, 'Bearer wrong-key-000']) {
    try {
      const admission = gate.admit({ authorization });
      admission.noteResponse(answer, 10);
      admission.finish(true);
    } catch {
      // the refusal is logged
    }
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('RequestGate', () => {
  it('logs a line per request with the key name, never the key or a header; transcripts only with payloads', () => {
    const plain = gateLogging(false);
    expect(plain).toMatchObject([
      { event: 'request', key: 'alice', ok: true, audioSeconds: 2.5, bytesOut: 10 },
      { event: 'refused', key: '(unauthenticated)', code: 'UNAUTHENTICATED' },
    ]);
    expect(JSON.stringify(plain)).not.toMatch(/secret|wrong-key|Bearer|lights/);
    const withPayloads = gateLogging(true);
    expect(withPayloads[0]).toMatchObject({ answer: { transcript: 'turn on the lights' } });
    expect(JSON.stringify(withPayloads)).not.toMatch(/secret|wrong-key|Bearer/);
  });

  it('charges audio after the fact: the next request waits for the debt, and the ledger adds up', () => {
    let now = 0;
    const gate = new RequestGate({ rateLimits: { audioSecondsPerMinute: 6 }, now: () => now });
    const first = gate.admit({});
    first.noteResponse({ audioDuration: 9 });
    first.finish(true);
    let refused: unknown;
    try {
      gate.admit({});
    } catch (error) {
      refused = error;
    }
    // 3 s of debt refilled at 6/60 s per second: 30 s.
    expect(refused).toBeInstanceOf(PushbackError);
    expect((refused as PushbackError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
    expect((refused as PushbackError).retryAfterMs).toBeLessThanOrEqual(30_001);
    now = 30_001;
    gate.admit({}).finish(false);
    const [usage] = gate.ledger.report().keys;
    expect(usage).toMatchObject({
      keyId: 'anonymous',
      requests: 2,
      ok: 1,
      failed: 1,
      audioSeconds: 9,
      rejectedByCode: { RESOURCE_EXHAUSTED: 1 },
    });
  });

  it('prices audio minutes, per request and per 1,000 requests', () => {
    const gate = new RequestGate({ pricePerAudioMinute: 0.006 });
    for (let i = 0; i < 4; i += 1) {
      const admission = gate.admit({});
      admission.noteResponse({ transcription: { audioDuration: 30 } });
      admission.finish(true);
    }
    const [usage] = gate.ledger.report().keys;
    expect(usage!.cost).toBeCloseTo(0.012, 10);
    expect(usage!.costPer1000Requests).toBeCloseTo(3, 10);
  });

  it('sheds past max in flight without spending a rate token, and lets in again after a finish', () => {
    const gate = new RequestGate({
      loadShedding: { maxInFlight: 1 },
      rateLimits: { requestsPerSecond: 1, burst: 2 },
      now: () => 0,
    });
    const first = gate.admit({});
    expect(() => gate.admit({})).toThrow(/overloaded/);
    first.finish(true);
    first.finish(true);
    expect(gate.inFlight).toBe(0);
    gate.admit({}).finish(true);
    expect(() => gate.admit({})).toThrow(/rate limit/);
    expect(gate.ledger.report().keys[0]!.rejectedByCode).toEqual({ UNAVAILABLE: 1, RESOURCE_EXHAUSTED: 1 });
  });
});
