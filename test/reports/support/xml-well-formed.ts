/**
 * A small XML well-formedness check (no XML parser is a dependency): one root element, every tag
 * closed in order, attributes quoted and unique, and only the predefined or numeric entities.
 * Returns the problems found, empty when well-formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\/?[^>]*>|[^<]+/g;
  const checkText = (text: string, where: string) => {
    for (const entity of text.match(/&[^;\s]*;?/g) ?? []) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(entity))
        problems.push(`bad entity ${entity} in ${where}`);
    }
  };
  const rest = xml.replace(/^\uFEFF/, '');
  for (const match of rest.matchAll(token)) {
    const part = match[0];
    if (part.startsWith('<?') || part.startsWith('<!--') || part.startsWith('<![CDATA[')) continue;
    if (!part.startsWith('<')) {
      if (part.includes('>') && part.includes(']]>')) problems.push('"]]>" in text');
      if (stack.length === 0 && part.trim() !== '')
        problems.push(`text outside the root: ${part.trim().slice(0, 40)}`);
      checkText(part, 'text');
      continue;
    }
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>$/.exec(part);
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) problems.push(`</${close[1]}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const open =
      /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/.exec(part);
    if (!open) {
      problems.push(`malformed tag ${part.slice(0, 60)}`);
      continue;
    }
    const names = [...(open[2] ?? '').matchAll(/([A-Za-z_][\w.:-]*)\s*=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in ${part.slice(0, 60)}`);
    checkText(open[2] ?? '', `attributes of <${open[1]}>`);
    if (stack.length === 0) roots++;
    if (open[3] !== '/') stack.push(open[1]!);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
