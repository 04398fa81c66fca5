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
