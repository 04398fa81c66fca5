/** Every relative link and anchor in README.md and docs/ resolves, as GitHub would resolve it. */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokenLinks, githubAnchors } from '../support/markdown-links.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('links in README.md and docs/', () => {
  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    expect(brokenLinks(root, page)).toEqual([]);
  });
});

describe('the link check itself', () => {
  it('makes the anchors GitHub makes', () => {
    const anchors = githubAnchors(
      '# Known limits (measured, not hidden)\n## Limits (the same; `serve --max-…`)\n## HTTP/2 flow control\n## Notes\n## Notes\n```\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual([
      'known-limits-measured-not-hidden',
      'limits-the-same-serve---max-',
      'http2-flow-control',
      'notes',
      'notes-1',
    ]);
  });

  it('finds a missing file, a missing anchor and a link out of the repository, and passes good ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'links-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/a.md'), '# A\n## Two words\n');
    writeFileSync(
      join(dir, 'docs/b.md'),
      '# B\n[ok](a.md#two-words) [self](#b) [web](https://example.com/x#y) `[code](nowhere.md)`\n' +
        '[gone](c.md) [no anchor](a.md#three) [out](../../etc/passwd) | [cell](a.md#nope) |\n',
    );
    expect(brokenLinks(dir, 'docs/b.md')).toEqual([
      'docs/b.md: c.md: no docs/c.md',
      'docs/b.md: a.md#three: no heading #three in docs/a.md',
      'docs/b.md: ../../etc/passwd points outside the repository',
      'docs/b.md: a.md#nope: no heading #nope in docs/a.md',
    ]);
  });
});
