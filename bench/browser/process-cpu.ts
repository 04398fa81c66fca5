/**
 * CPU time of this process's descendants, from /proc (Linux): Chromium's browser,
 * renderer, GPU and network processes, told apart by their `--type=` switch.
 */
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100;

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuSeconds: number;
  readonly kind: string;
}

function entryOf(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    const kind = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
    return {
      pid,
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
      kind,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds by process kind (`browser`, `renderer`, `utility`, `gpu-process`, …) under `root`. */
export function descendantCpuSeconds(root = process.pid): Map<string, number> {
  const byKind = new Map<string, number>();
  let entries: ProcessEntry[];
  try {
    entries = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((name) => entryOf(Number(name)))
      .filter((entry) => entry !== undefined);
  } catch {
    return byKind;
  }
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of entries) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    byKind.set(entry.kind, (byKind.get(entry.kind) ?? 0) + entry.cpuSeconds);
    stack.push(...(children.get(entry.pid) ?? []));
  }
  return byKind;
}
