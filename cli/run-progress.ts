import type { SuiteRun } from '../bench/run/run-suite.js';

/**
 * Progress on stderr: a live line on a terminal (rewritten each second), plain
 * lines otherwise, so that logs stay readable in CI.
 */
export function reportProgress(run: SuiteRun, stream: NodeJS.WriteStream = process.stderr): () => void {
  const live = stream.isTTY === true;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  run.on('servers', (servers) => {
    for (const s of servers)
      stream.write(`server ${s.protocol}: pid ${s.pid}, port ${s.port}, engine ${s.engine}\n`);
  });
  run.on('repetitionStart', ({ scenario, variant, repetition, payload }) => {
    const label = `${scenario.name} ${variant} #${repetition + 1}/${scenario.repetitions} (${payload}, ${scenario.load.model})`;
    const total = (scenario.warmupMs + scenario.durationMs) / 1000;
    const started = Date.now();
    if (!live) {
      stream.write(`${label}: running ${total.toFixed(0)} s\n`);
      return;
    }
    timer = setInterval(() => {
      stream.write(`\r\x1b[2K${label}: ${((Date.now() - started) / 1000).toFixed(0)}/${total.toFixed(0)} s`);
    }, 1000);
    timer.unref();
  });
  run.on('repetitionEnd', ({ scenario, variant, repetition }) => {
    clear();
    const errors = repetition.counts.failed + repetition.counts.timedOut + repetition.counts.notSent;
    const line = `${scenario.name} ${variant} #${repetition.index + 1}: ${repetition.rps.toFixed(0)} req/s, p99 ${(repetition.latencyUs.p99 / 1000).toFixed(2)} ms, errors ${errors}${repetition.resources.driverSaturated ? ' (driver saturated)' : ''}`;
    stream.write(live ? `\r\x1b[2K${line}\n` : `${line}\n`);
  });
  run.on('warning', (message) => stream.write(`warning: ${message}\n`));
  return clear;
}
