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

describe('generated code', () => {
  it('is what `npm run proto` generates from proto/ now (regenerate and commit when this fails)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'proto-gen-'));
    // `clean: true` empties the output folder, so the template lives elsewhere.
    const templateDir = mkdtempSync(join(tmpdir(), 'proto-template-'));
    try {
      const template = readFileSync(join(root, 'buf.gen.yaml'), 'utf8').replace(
        'out: proto/gen',
        `out: ${scratch}`,
      );
      expect(template).toContain(scratch);
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
      const committed = join(root, 'proto/gen');
      expect(filesUnder(scratch).sort()).toEqual(filesUnder(committed).sort());
      for (const file of filesUnder(scratch)) {
        expect(readFileSync(join(scratch, file), 'utf8'), file).toBe(
          readFileSync(join(committed, file), 'utf8'),
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(templateDir, { recursive: true, force: true });
    }
  });
});
