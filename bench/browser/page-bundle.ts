/**
 * The benchmark page's script, bundled in memory by esbuild (the same esbuild tsx runs
 * on; nothing fetched): one IIFE with connect-web, protobuf-es and hdr-histogram-js's
 * browser build. Built once per process.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./page/bench-page.ts', import.meta.url));
let bundled: Promise<string> | undefined;

export function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
