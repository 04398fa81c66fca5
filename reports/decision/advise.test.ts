import { describe, expect, it } from 'vitest';
import { sweepResults, wanSizeFlip } from '../../test/reports/fixtures/sweep-results.js';
import { AdviseError, advise } from './advise.js';

/** grpc is faster for short audio, rest-binary-h1 for long, on wan; on lan grpc wins at both sizes. */
const results = sweepResults([
  ...wanSizeFlip,
  {
    scenario: 'lan-3s',
    network: 'lan',
    sizeBytes: 96_000,
    variants: { grpc: { p50Ms: 3 }, 'rest-binary-h1': { p50Ms: 5 } },
  },
  {
    scenario: 'lan-30s',
    network: 'lan',
    sizeBytes: 960_000,
    variants: { grpc: { p50Ms: 20 }, 'rest-binary-h1': { p50Ms: 30 } },
  },
]);

describe('advise', () => {
  it('follows the data: the recommendation flips between two sizes', () => {
    const short = advise([results], { audioSeconds: 3, rttMs: 50, bandwidthMbps: 50 });
    const long = advise([results], { audioSeconds: 30, rttMs: 50, bandwidthMbps: 50 });
    expect(short.variant).toBe('grpc');
    expect(long.variant).toBe('rest-binary-h1');
    expect(short.expected.p50Ms).toBeCloseTo(80, -1);
    expect(long.expected.p50Ms).toBeCloseTo(210, -1);
    expect(long.expected.bytesPerCall).toBeCloseTo(960_200, -3);
    expect(long.nearest).toEqual([
      expect.objectContaining({
        scenario: 'wan-30s',
        network: 'wan',
        distance: { size: 1, rtt: 1, bandwidth: 1 },
      }),
    ]);
    expect(long.runnerUp).toMatchObject({ variant: 'grpc', kind: 'faster' });
    expect(long.confidence).toBe('high');
  });

  it('follows the data: the recommendation flips between two networks, and says how far the points are', () => {
    const wan = advise([results], { audioSeconds: 30, rttMs: 60, bandwidthMbps: 40 });
    const lan = advise([results], { audioSeconds: 30, rttMs: 1, bandwidthMbps: 1000 });
    expect(wan.variant).toBe('rest-binary-h1');
    expect(lan.variant).toBe('grpc');
    expect(lan.nearest[0]!.network).toBe('lan');
    expect(lan.nearest[0]!.distance.rtt).toBeCloseTo(2);
    expect(lan.confidence).not.toBe('high');
    expect(lan.reasons.join(' ')).toMatch(/2× away from the question/);
  });

  it('interpolates between the sizes around the question on log size, and flags one outside them', () => {
    const between = advise([results], { audioSeconds: Math.sqrt(3 * 30), rttMs: 50, bandwidthMbps: 50 });
    expect(between.nearest.map((p) => p.scenario)).toEqual(['wan-3s', 'wan-30s']);
    // Halfway on log size: the geometric mean of the two sizes' p50s.
    const grpc = Math.sqrt(80 * 600);
    const rest = Math.sqrt(110 * 210);
    expect(between.variant).toBe(grpc < rest ? 'grpc' : 'rest-binary-h1');
    expect(between.expected.p50Ms).toBeCloseTo(Math.min(grpc, rest), -1);
    const outside = advise([results], { audioSeconds: 120, rttMs: 50, bandwidthMbps: 50, rate: 100 });
    expect(outside.confidence).toBe('low');
    expect(outside.reasons.join(' ')).toMatch(/outside the sizes measured/);
    expect(outside.reasons.join(' ')).toMatch(/more than the 50 Mbit\/s link/);
  });

  it('says when there is nothing to read an upload from', () => {
    const classify = sweepResults([
      { scenario: 'c', rpc: 'classify', sizeBytes: 300, variants: { grpc: { p50Ms: 1 } } },
    ]);
    expect(() => advise([classify], { audioSeconds: 3, rttMs: 50, bandwidthMbps: 50 })).toThrow(AdviseError);
  });
});
