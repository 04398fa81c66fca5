import type { SuiteRun } from '../bench/run/run-suite.js';

/**
 * Progress on stderr: a live line on a terminal (rewritten each second), plain
 * lines otherwise, so that logs stay readable in CI.
 */
export function reportProgress(run: SuiteRun, stream: NodeJS.WriteStream = process.stderr): void {
  const live = stream.isTTY === true;
  run.on('servers', (servers) => {
    for (const s of servers)
      stream.write(
        `server ${s.protocol}: ${s.pid === undefined ? `external, ${s.host}` : `pid ${s.pid}`}, port ${s.port}, engine ${s.engine}\n`,
      );
  });
  let label = '';
  run.on('repetitionStart', ({ scenario, variant, repetition, payload }) => {
    label = `${scenario.name} ${variant} #${repetition + 1}/${scenario.repetitions} (${payload}, ${scenario.load.model})`;
    if (!live) stream.write(`${label}: ${((scenario.warmupMs + scenario.durationMs) / 1000).toFixed(0)} s\n`);
  });
  run.on('progress', ({ scenario, snapshot }) => {
    const seconds = Math.round(snapshot.elapsedMs / 1000);
    const total = (scenario.warmupMs + scenario.durationMs) / 1000;
    const line = `${label}: ${seconds}/${total.toFixed(0)} s, ${snapshot.rps.toFixed(snapshot.rps < 10 ? 2 : 0)} req/s, p99 ${(snapshot.p99Us / 1000).toFixed(2)} ms, errors ${snapshot.errors}`;
    // A plain line every 5 s keeps CI logs readable; a terminal gets one line rewritten in place.
    if (live) stream.write(`\r\x1b[2K${line}`);
    else if (seconds % 5 === 0) stream.write(`${line}\n`);
  });
  run.on('repetitionEnd', ({ scenario, variant, repetition }) => {
    const errors = repetition.counts.failed + repetition.counts.timedOut + repetition.counts.notSent;
    const line = `${scenario.name} ${variant} #${repetition.index + 1}: ${repetition.rps.toFixed(repetition.rps < 10 ? 2 : 0)} req/s, p99 ${(repetition.latencyUs.p99 / 1000).toFixed(2)} ms, errors ${errors}${repetition.resources.driverSaturated ? ' (driver saturated)' : ''}`;
    stream.write(live ? `\r\x1b[2K${line}\n` : `${line}\n`);
  });
  run.on('warning', (message) => stream.write(`warning: ${message}\n`));
}
