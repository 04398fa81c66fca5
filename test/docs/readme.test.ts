/** The README is a front door: short, with exactly the two Quick start commands. */
import { readFileSync } from 'node:fs';
import { Lexer } from 'marked';
import { expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

it('is at most 12,000 characters (the rest lives in docs/)', () => {
  expect(readme.length).toBeLessThanOrEqual(12_000);
});

it('has exactly the two Quick start command lines', () => {
  const tokens = new Lexer().lex(readme);
  const start = tokens.findIndex((token) => token.type === 'heading' && token.text === 'Quick start');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = tokens.findIndex((token, index) => index > start && token.type === 'heading');
  const commands = tokens
    .slice(start, end === -1 ? undefined : end)
    .flatMap((token) => (token.type === 'code' ? token.text.split('\n') : []))
    .filter((line) => line.trim() !== '');
  expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
});

it("shows an excerpt of the committed example run's summary, and its chart (npm run docs:example)", () => {
  const block = /<!-- example:start[^>]*-->([\s\S]*?)<!-- example:end -->/.exec(readme)?.[1] ?? '';
  const excerpt = /```text\n([\s\S]*?)\n```/.exec(block)?.[1] ?? '';
  const summary = readFileSync(new URL('../../docs/example/summary.txt', import.meta.url), 'utf8');
  const lines = excerpt.split('\n').filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) expect(summary).toContain(line);
  const chart = /!\[[^\]]*\]\((docs\/example\/[^)]+\.png)\)/.exec(block)?.[1];
  expect(chart).toBeDefined();
  // A PNG file: the signature, then an image header.
  const png = readFileSync(new URL(`../../${chart}`, import.meta.url));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});
