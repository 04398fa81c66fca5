import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MachineSteadiness } from './machine-steadiness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The packages whose versions decide what a run measures. */
const measuredPackages = [
  '@grpc/grpc-js',
  'fastify',
  '@bufbuild/protobuf',
  'ts-proto',
  'autocannon',
  'hdr-histogram-js',
];

export interface Environment {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly packages: Record<string, string>;
  readonly gitCommit: string;
  readonly gitDirty: boolean;
  readonly tool: { readonly name: string; readonly version: string };
  /** Measured by `run` before its servers start (machine-steadiness.ts); absent in older results. */
  readonly steadiness?: MachineSteadiness;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

function installedVersion(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')) as {
      version: string;
    };
    return manifest.version;
  } catch {
    return 'not installed';
  }
}

/** What every report starts with: the machine, the runtime, the versions and the commit. */
export function captureEnvironment(): Environment {
  const tool = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { name: string; version: string };
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    os: `${process.platform} ${release()} ${process.arch}`,
    node: process.version,
    packages: Object.fromEntries(measuredPackages.map((name) => [name, installedVersion(name)])),
    gitCommit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    tool: { name: tool.name, version: tool.version },
  };
}
