import { describe, expect, it } from 'vitest';
import { type SweepPointSpec, sweepResults } from '../../test/reports/fixtures/sweep-results.js';
import { githubAnchors } from '../../test/support/markdown-links.js';
import { renderMarkdown } from '../render-markdown.js';
import { verdictLines } from './decision-section.js';
import { maxVerdictSentences, verdictSentences } from './verdict-sentences.js';

/** Two sizes on wan: grpc's p50 ÷ rest-json-h1's is `small` at 1 KB and `large` at 1 MB. */
function wan(small: number, large: number, extra: readonly SweepPointSpec[] = []) {
  return sweepResults([
    {
      scenario: 'tiny',
      rpc: 'classify',
      sizeBytes: 300,
      variants: { grpc: { p50Ms: 1, rps: 4000 }, 'rest-json-h1': { p50Ms: 1, rps: 3000 } },
    },
    {
      scenario: 'wan-1k',
      network: 'wan',
      sizeBytes: 1_000,
      variants: { grpc: { p50Ms: 60 * small }, 'rest-json-h1': { p50Ms: 60 } },
    },
    {
      scenario: 'wan-1m',
      network: 'wan',
      sizeBytes: 1_000_000,
      variants: { grpc: { p50Ms: 250 * large }, 'rest-json-h1': { p50Ms: 250 } },
    },
    ...extra,
  ]);
}

const texts = (results: ReturnType<typeof wan>) => verdictSentences(results).map((s) => s.text);

describe('the verdict sentences', () => {
  it('say where gRPC loses, and a flipped ratio flips the sentence', () => {
    const loses = texts(wan(0.7, 3)).find((t) => t.startsWith('On wan'))!;
    expect(loses).toMatch(
      /^On wan \(50 ms round trip\) with default windows, grpc has the lower p50 below ≈ [\d.,]+ K?i?B and rest-json-h1 above it \(95% interval of the crossing .*\)/,
    );
    expect(loses).toMatch(
      /at 977 KiB p50 grpc ÷ rest-json-h1 is rest-json-h1 faster by 2\d\d% \(a ÷ b 3\.\d\d \[/,
    );
    const wins = texts(wan(1 / 0.7, 1 / 3)).find((t) => t.startsWith('On wan'))!;
    expect(wins).toMatch(/rest-json-h1 has the lower p50 below ≈ [\d.,]+ K?i?B and grpc above it/);
    expect(wins).toMatch(/is grpc faster by [12]\d\d%/);
  });

  it('word an equivalent or undecided comparison as such, never as a win', () => {
    const same = texts(wan(1.01, 0.99)).find((t) => t.startsWith('On wan'))!;
    expect(same).toMatch(
      /does not change between 1,000 B and 977 KiB: equivalent at every size; at 977 KiB p50 grpc ÷ rest-json-h1 is no difference larger than \d+%/,
    );
    expect(same).not.toMatch(/faster/);
    const noisy = sweepResults(
      [
        {
          scenario: 'a',
          network: 'wan',
          sizeBytes: 1_000,
          variants: { grpc: { p50Ms: 60 }, 'rest-json-h1': { p50Ms: 63 } },
        },
        {
          scenario: 'b',
          network: 'wan',
          sizeBytes: 1_000_000,
          variants: { grpc: { p50Ms: 250 }, 'rest-json-h1': { p50Ms: 240 } },
        },
      ],
      { noise: 0.5, repetitions: 3 },
    );
    const sentences = verdictSentences(noisy).map((s) => s.text);
    expect(sentences[0]).toMatch(
      /this run cannot tell which variant serves the most \(undecided: this run cannot tell differences under \d+%(; [^)]*)?\): /,
    );
    // The interval is given once, with the figures, not again inside the verdict's words.
    expect(sentences[0]!.match(/a ÷ b/g)).toBeNull();
    expect(sentences[1]).toMatch(
      /undecided at every size; at 977 KiB p50 grpc ÷ rest-json-h1 is undecided: /,
    );
    for (const text of sentences) expect(text).not.toMatch(/ faster by|serves the most,/);
  });

  it('name the busiest variant on small requests by how much, with its interval and its evidence', () => {
    const [first] = verdictSentences(wan(0.7, 3));
    expect(first!.text).toMatch(
      /^On loopback with default windows, small requests \(classify, 300 B per call, closed loop, 1 connection × 1 in flight\): grpc serves the most, 3\d% more than the next one: grpc 4,\d{3} req\/s against rest-json-h1 2,\d{3} req\/s, 1\.3\d× \(95% interval 1\.\d\d×–1\.\d\d×\)\.$/,
    );
    expect(first!.evidence.anchor).toBe('#scenario-tiny');
    const flipped = sweepResults([
      {
        scenario: 'tiny',
        rpc: 'classify',
        sizeBytes: 300,
        variants: { grpc: { p50Ms: 1, rps: 3000 }, 'rest-json-h1': { p50Ms: 1, rps: 4000 } },
      },
    ]);
    expect(verdictSentences(flipped)[0]!.text).toMatch(
      /rest-json-h1 serves the most, 3\d% more than the next one/,
    );
  });

  it('say what the window setting is worth, and what the tuned run could not raise', () => {
    const tuned = wan(0.7, 3, [
      {
        scenario: 'wan-1m-tuned',
        network: 'wan',
        tuning: 'tuned',
        sizeBytes: 1_000_000,
        variants: { grpc: { p50Ms: 740 }, 'rest-json-h1': { p50Ms: 250 }, 'grpc-connect': { p50Ms: 210 } },
      },
      {
        scenario: 'wan-1k-tuned',
        network: 'wan',
        tuning: 'tuned',
        sizeBytes: 1_000,
        variants: { grpc: { p50Ms: 40 }, 'rest-json-h1': { p50Ms: 60 } },
      },
    ]);
    const withSettings = {
      ...tuned,
      scenarios: tuned.scenarios.map((s) =>
        s.tuning?.name === 'tuned'
          ? {
              ...s,
              tuning: {
                name: 'tuned' as const,
                settings: [
                  {
                    where: 'grpc-js server (grpc)',
                    setting: 'HTTP/2 receive windows',
                    value: null,
                    note: 'cannot be raised in @grpc/grpc-js 1.14: no option',
                  },
                ],
              },
            }
          : s,
      ),
    };
    const worth = texts(withSettings).find((t) => t.includes('window setting'))!;
    expect(worth).toMatch(
      /^On wan \(50 ms round trip\), the window setting matters most for grpc: grpc's p50 at 977 KiB goes from 7\d\d ms to 7\d\d ms, tuned ÷ default 0\.9\d+× \(95% interval .*\), faster by \d\.\d%; grpc-js server \(grpc\): HTTP\/2 receive windows cannot be raised in @grpc\/grpc-js 1\.14\.$/,
    );
    // Figures with no real difference are worded as such.
    const flat = wan(0.7, 3, [
      {
        scenario: 'wan-1m-tuned',
        network: 'wan',
        tuning: 'tuned',
        sizeBytes: 1_000_000,
        variants: { grpc: { p50Ms: 750 }, 'rest-json-h1': { p50Ms: 250 } },
      },
    ]);
    const flatWorth = texts(flat).find((t) => t.includes('window setting'))!;
    expect(flatWorth).toMatch(
      /the window setting (makes no difference larger than \d+% even where it changes most|changes nothing this run can resolve)/,
    );
  });

  it('on loopback alone, name the decision suite for the question it cannot answer, within 8 sentences', () => {
    const loopback = sweepResults([
      {
        scenario: 'classify',
        rpc: 'classify',
        sizeBytes: 300,
        variants: { grpc: { p50Ms: 1 }, 'rest-json-h1': { p50Ms: 1.3 } },
      },
    ]);
    const sentences = texts(loopback);
    expect(sentences.at(-1)).toMatch(
      /loopback only: .* decision suite answers \(`grpc-rest-bench run --suite decision`\)/,
    );
    expect(texts(wan(0.7, 3)).some((t) => t.includes('loopback only'))).toBe(false);
    const many = sweepResults(
      (['lan', 'metro', 'wan', 'mobile'] as const).flatMap((network) =>
        (['default', 'tuned'] as const).flatMap((tuning) =>
          [1_000, 100_000].map((sizeBytes) => ({
            scenario: `${network}-${tuning}-${sizeBytes}`,
            network,
            tuning,
            sizeBytes,
            variants: { grpc: { p50Ms: sizeBytes / 1000 }, 'rest-json-h1': { p50Ms: 10 } },
          })),
        ),
      ),
    );
    expect(verdictSentences(many).length).toBeLessThanOrEqual(maxVerdictSentences);
  });
});

describe('the verdict in report.md', () => {
  it('opens the report, and every evidence link resolves to a heading GitHub anchors', () => {
    const markdown = renderMarkdown(wan(0.7, 3));
    const anchors = githubAnchors(markdown);
    const verdictAt = markdown.indexOf('## Verdict');
    expect(verdictAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(markdown.indexOf('## Environment'));
    const links = [
      ...markdown.slice(verdictAt, markdown.indexOf('## Crossovers')).matchAll(/\]\(#([^)]+)\)/g),
    ].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) expect(anchors.has(link), link).toBe(true);
    expect(markdown).toMatch(
      /\| wan \| default \| transcribe, closed loop, 1 connection × 1 in flight \| grpc vs rest-json-h1 \| p50 latency \| grpc → rest-json-h1 at ≈/,
    );
  });
});

describe('the verdict on the console', () => {
  it('prints the same sentences, numbered, under "Verdict:"', () => {
    const results = wan(0.7, 3);
    expect(verdictLines(results)).toEqual([
      'Verdict:',
      ...verdictSentences(results).map((s, i) => `  ${i + 1}. ${s.text}`),
    ]);
  });
});
