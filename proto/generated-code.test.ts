import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** Every plugin's `out:` folder in the template, so that a new plugin is checked without editing this test. */
function outputFolders(template: string): string[] {
  return [...template.matchAll(/^\s*out:\s*(\S+)\s*$/gm)].map((match) => match[1]!);
}

describe('generated code', () => {
  it('is what `npm run proto` generates from proto/ now (regenerate and commit when this fails)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'proto-gen-'));
    // `clean: true` empties the output folders, so the template lives elsewhere.
    const templateDir = mkdtempSync(join(tmpdir(), 'proto-template-'));
    try {
      const original = readFileSync(join(root, 'buf.gen.yaml'), 'utf8');
      const outputs = outputFolders(original);
      expect(outputs).toEqual(expect.arrayContaining(['proto/gen', 'proto/gen-es']));
      const template = original.replace(
        /^(\s*out:\s*)(\S+)\s*$/gm,
        (_line, key: string, out: string) => `${key}${join(scratch, out)}`,
      );
      writeFileSync(join(templateDir, 'buf.gen.yaml'), template);
      execFileSync(
        join(root, 'node_modules/.bin/buf'),
        ['generate', '--template', join(templateDir, 'buf.gen.yaml')],
        {
          cwd: root,
          stdio: 'pipe',
          timeout: 60_000,
        },
      );
      for (const out of outputs) {
        const generated = join(scratch, out);
        const committed = join(root, out);
        expect(filesUnder(generated).sort(), out).toEqual(filesUnder(committed).sort());
        for (const file of filesUnder(generated)) {
          expect(readFileSync(join(generated, file), 'utf8'), join(out, file)).toBe(
            readFileSync(join(committed, file), 'utf8'),
          );
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(templateDir, { recursive: true, force: true });
    }
  });
});
