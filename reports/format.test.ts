import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  formatBytes,
  formatChange,
  formatCount,
  formatLatency,
  formatNumber,
  formatPercent,
  latencyUnitFor,
  slug,
} from './format.js';

describe('locale-free formatting', () => {
  it('rounds to 3 significant digits, groups thousands and never uses exponents', () => {
    expect(formatNumber(4201.333)).toBe('4,201');
    expect(formatNumber(1_234_567.8)).toBe('1,234,568');
    expect(formatNumber(3.6512)).toBe('3.65');
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(78)).toBe('78');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(-12.34)).toBe('−12.3');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatCount(56265.4)).toBe('56,265');
  });

  it('picks one latency unit for a column from its smallest value', () => {
    expect(latencyUnitFor([850, 12_000])).toBe('µs');
    expect(latencyUnitFor([3650, 12_000])).toBe('ms');
    expect(latencyUnitFor([2_000_000])).toBe('s');
    expect(formatLatency(3650)).toBe('3.65 ms');
    expect(formatLatency(850)).toBe('850 µs');
  });

  it('formats bytes, changes and shares', () => {
    expect(formatBytes(96.1)).toBe('96.1 B');
    expect(formatBytes(25_769_803_776)).toBe('24 GiB');
    expect(formatChange(-0.2953)).toBe('−29.5%');
    expect(formatChange(0.05)).toBe('+5.0%');
    expect(formatPercent(0.0042)).toBe('0.42%');
    expect(formatPercent(0.00001)).toBe('<0.01%');
  });

  it('escapes for HTML and Markdown, and makes safe ids', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkdown('a|b *c* [d]\nnext')).toBe('a\\|b \\*c\\* \\[d\\] next');
    expect(slug('Classify Open/800')).toBe('classify-open-800');
  });
});
