/** Relative links and anchors in Markdown, checked the way GitHub resolves them. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { Lexer, marked, type Token } from 'marked';

/** The text a heading shows: inline markup dropped, code spans kept as their text. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && token.tokens) return plainText(token.tokens);
      if (token.type === 'html') return '';
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file has, repeated headings numbered -1, -2, … as GitHub does. */
export function githubAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const token of new Lexer().lex(markdown)) {
    if (token.type !== 'heading') continue;
    const slug = githubSlug(plainText(token.tokens ?? []));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  marked.walkTokens(new Lexer().lex(markdown), (token) => {
    if (token.type === 'link' || token.type === 'image') targets.push(token.href);
  });
  return targets;
}

/**
 * What is broken in one file's relative links: a missing file or folder, or an anchor that no
 * heading of the target makes. `root` bounds the repository; absolute URLs are not checked.
 */
export function brokenLinks(root: string, file: string): string[] {
  const markdown = readFileSync(join(root, file), 'utf8');
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
    if (resolved.startsWith('..') || relative(root, join(root, resolved)).startsWith('..')) {
      problems.push(`${file}: ${target} points outside the repository`);
      continue;
    }
    const absolute = join(root, resolved);
    if (!existsSync(absolute)) {
      problems.push(`${file}: ${target}: no ${resolved}`);
      continue;
    }
    if (anchor === undefined) continue;
    if (statSync(absolute).isDirectory() || !resolved.endsWith('.md')) {
      problems.push(`${file}: ${target}: an anchor into something that is not a Markdown file`);
      continue;
    }
    if (!githubAnchors(readFileSync(absolute, 'utf8')).has(decodeURIComponent(anchor)))
      problems.push(`${file}: ${target}: no heading #${anchor} in ${resolved}`);
  }
  return problems;
}
