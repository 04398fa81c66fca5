/**
 * The Verdict a report opens with: at most eight plain sentences, each made from the data with
 * its figure, its 95% interval and a link to the evidence further down. A comparison the
 * statistics call equivalent or undecided is worded as such, never as a win.
 */
import type { Results } from '../../bench/results/results-types.js';
import { comparePaired, verdictOf } from '../../bench/stats/verdict.js';
import { formatBytes, formatLatency, formatNumber, formatRatio, slug } from '../format.js';
import { crossoverOf, headlinePairs } from './crossovers.js';
import { networkOrder, type SizePoint, type Sweep, type SweepNetwork, sweepsOf } from './sweeps.js';
import { unpairedRatio } from './unpaired-ratio.js';

export interface VerdictSentence {
  readonly text: string;
  /** Where the evidence is in the report: an anchor (`#crossovers`) and its label. */
  readonly evidence: { readonly anchor: string; readonly label: string };
}

export const maxVerdictSentences = 8;

export const decisionSuiteHint = 'grpc-rest-bench run --suite decision';

const interval = (low: number, high: number) => `95% interval ${formatRatio(low)}–${formatRatio(high)}`;

function networkLabel(network: SweepNetwork): string {
  return network.loopback ? network.name : `${network.name} (${formatNumber(network.rttMs)} ms round trip)`;
}

function tuningLabel(sweep: Sweep): string {
  return sweep.tuning === 'tuned' ? 'raised HTTP/2 windows' : 'default windows';
}

const sameNetwork = (a: SweepNetwork, b: SweepNetwork) =>
  a.name === b.name && a.rttMs === b.rttMs && a.downMbps === b.downMbps && a.upMbps === b.upMbps;

/** Networks in the order of their round trip, each once. */
function networksOf(sweeps: readonly Sweep[]): SweepNetwork[] {
  const networks: SweepNetwork[] = [];
  for (const sweep of sweeps)
    if (!networks.some((n) => sameNetwork(n, sweep.network))) networks.push(sweep.network);
  return networks.sort(networkOrder);
}

/** The sweep of a network that says most: default tuning first, then the most sizes, then the most variants. */
function mainSweep(sweeps: readonly Sweep[], network: SweepNetwork): Sweep | undefined {
  const variants = (s: Sweep) => Math.max(...s.points.map((p) => p.variants.length));
  return sweeps
    .filter((s) => sameNetwork(s.network, network))
    .sort(
      (a, b) =>
        Number(a.tuning !== 'default') - Number(b.tuning !== 'default') ||
        b.points.length - a.points.length ||
        variants(b) - variants(a),
    )[0];
}

/** The sweep of a network with the smallest messages (default tuning first): where "small requests" are. */
function smallestSweep(sweeps: readonly Sweep[], network: SweepNetwork): Sweep | undefined {
  return sweeps
    .filter((s) => sameNetwork(s.network, network))
    .sort(
      (a, b) =>
        Number(a.tuning !== 'default') - Number(b.tuning !== 'default') ||
        a.points[0]!.sizeBytes - b.points[0]!.sizeBytes,
    )[0];
}

function smallRequests(sweep: Sweep): VerdictSentence | undefined {
  const point: SizePoint = sweep.points[0]!;
  const ranked = [...point.variants].sort((a, b) => b.rpsMedian - a.rpsMedian);
  const [top, second] = ranked;
  if (!top || !second) return undefined;
  const {
    ratio,
    interval: ci,
    verdict,
  } = comparePaired(top.rps, second.rps, {
    better: 'higher',
    a: top.variant,
    b: second.variant,
  });
  const where = `On ${networkLabel(sweep.network)} with ${tuningLabel(sweep)}, ${point.sizeBytes <= 16 * 1024 ? 'small requests' : 'the smallest requests measured'} (${sweep.rpc}, ${formatBytes(point.sizeBytes)} per call, ${sweep.load})`;
  const figure = `${top.variant} ${formatNumber(top.rpsMedian)} req/s against ${second.variant} ${formatNumber(second.rpsMedian)} req/s, ${formatRatio(ratio)}${ci ? ` (${interval(ci.low, ci.high)})` : ' (no interval)'}`;
  const text =
    verdict.kind === 'faster' && verdict.winner === 'a'
      ? `${where}: ${top.variant} serves the most, ${formatNumber(verdict.percent, 2)}% more than the next one: ${figure}.`
      : verdict.kind === 'equivalent'
        ? `${where}: no variant serves clearly more; the two busiest differ by no more than ${verdict.percent}%: ${figure}.`
        : `${where}: this run cannot tell which variant serves the most (${verdict.text.replace(/ \(a ÷ b [^)]*\)/, '')}): ${figure}.`;
  return {
    text,
    evidence: { anchor: `#scenario-${slug(point.scenario)}`, label: `scenario ${point.scenario}` },
  };
}

/** The headline pair a network's sentence is about: grpc against rest-json-h1 when both ran. */
function pairOf(sweep: Sweep): readonly [string, string] | undefined {
  const has = (v: string) => sweep.points.some((p) => p.variants.some((x) => x.variant === v));
  return headlinePairs.find(([a, b]) => has(a) && has(b));
}

function sizeAnswer(sweep: Sweep): VerdictSentence | undefined {
  const pair = pairOf(sweep);
  if (!pair) return undefined;
  const [a, b] = pair;
  const crossover = crossoverOf(sweep, a, b, 'p50');
  const last = crossover.atSizes.at(-1);
  if (!last) return undefined;
  const where = `On ${networkLabel(sweep.network)} with ${tuningLabel(sweep)}`;
  const lastFigure = `at ${formatBytes(last.sizeBytes)} p50 ${a} ÷ ${b} is ${last.verdict}`;
  let text: string;
  const change = crossover.changes[0];
  if (change) {
    text = `${where}, ${change.from} has the lower p50 below ≈ ${formatBytes(change.sizeBytes)} and ${change.to} above it (95% interval of the crossing ${formatBytes(change.low)}–${formatBytes(change.high)}, between the measured ${formatBytes(change.between[0])} and ${formatBytes(change.between[1])}); ${lastFigure}.`;
  } else if (crossover.atSizes.length === 1) {
    text = `${where}, one message size was measured (${formatBytes(last.sizeBytes)}), so no crossover can be placed: ${lastFigure}.`;
  } else {
    text = `${where}, the p50 winner of ${a} against ${b} does not change ${crossover.text.replace(/^none /, '')}; ${lastFigure}.`;
  }
  return { text, evidence: { anchor: '#crossovers', label: 'crossovers' } };
}

/**
 * What the tuned windows change on a network: at the largest size both tunings measured, the
 * variant they change most among those the statistics decide on (else among all). `decided`
 * says whether the change is one the statistics name.
 */
function tuningWorth(
  sweeps: readonly Sweep[],
  network: SweepNetwork,
): { sentence: VerdictSentence; decided: boolean } | undefined {
  const here = sweeps.filter((s) => sameNetwork(s.network, network));
  const largestFirst = here
    .filter((s) => s.tuning === 'default')
    .sort((a, b) => b.points.at(-1)!.sizeBytes - a.points.at(-1)!.sizeBytes);
  for (const base of largestFirst) {
    const tuned = here.find((s) => s.tuning === 'tuned' && s.shape === base.shape);
    if (!tuned) continue;
    const pairs = base.points.flatMap((p) => {
      const q = tuned.points.find((t) => Math.abs(Math.log(t.sizeBytes / p.sizeBytes)) < 0.2);
      return q ? [{ p, q }] : [];
    });
    const largest = pairs.at(-1);
    if (!largest) continue;
    const changes = largest.p.variants.flatMap((d) => {
      const t = largest.q.variants.find((v) => v.variant === d.variant);
      const ci = t ? unpairedRatio(t.p50Us, d.p50Us) : undefined;
      if (!t || !ci) return [];
      return [
        {
          variant: d.variant,
          d,
          t,
          ci,
          verdict: verdictOf(ci, { better: 'lower', a: 'tuned', b: 'default' }),
        },
      ];
    });
    const best = changes.sort(
      (x, y) =>
        Number(y.verdict.kind === 'faster') - Number(x.verdict.kind === 'faster') ||
        Math.abs(Math.log(y.ci.centre)) - Math.abs(Math.log(x.ci.centre)),
    )[0];
    if (!best) continue;
    const { verdict } = best;
    const figure = `${best.variant}'s p50 at ${formatBytes(largest.p.sizeBytes)} goes from ${formatLatency(best.d.p50UsMedian)} to ${formatLatency(best.t.p50UsMedian)}, tuned ÷ default ${formatRatio(best.ci.centre)} (${interval(best.ci.low, best.ci.high)})`;
    const where = `On ${networkLabel(network)}, the window setting`;
    const worth =
      verdict.kind === 'faster'
        ? `${where} matters most for ${best.variant}: ${figure}, ${verdict.winner === 'a' ? 'faster' : 'slower'} by ${formatNumber(verdict.percent, 2)}%`
        : verdict.kind === 'equivalent'
          ? `${where} makes no difference larger than ${verdict.percent}% even where it changes most: ${figure}`
          : `${where} changes nothing this run can resolve (under ${formatNumber(verdict.percent)}%): ${figure}`;
    return {
      sentence: { text: worth, evidence: { anchor: '#crossovers', label: 'crossovers by tuning' } },
      decided: verdict.kind !== 'undecided',
    };
  }
  return undefined;
}

/** What the tuned run could not change, from the settings results.json recorded (value null). */
function cannotRaise(results: Results): string {
  const fixed = new Map<string, string>();
  for (const s of results.scenarios) {
    if (s.tuning?.name !== 'tuned') continue;
    for (const setting of s.tuning.settings)
      if (setting.value === null)
        fixed.set(`${setting.where}: ${setting.setting}`, (setting.note ?? 'cannot be set').split(':')[0]!);
  }
  return [...fixed].map(([what, why]) => `; ${what} ${why}`).join('');
}

/** The Verdict's sentences, in reading order. */
export function verdictSentences(results: Results): VerdictSentence[] {
  const sweeps = sweepsOf(results);
  const networks = networksOf(sweeps);
  const sentences: VerdictSentence[] = [];
  if (networks.length === 0) {
    return [
      {
        text: 'This run has no completed request-response scenario to judge, so it gives no verdict.',
        evidence: { anchor: '#warnings', label: 'warnings' },
      },
    ];
  }
  const small = smallestSweep(sweeps, networks[0]!);
  const smallSentence = small && smallRequests(small);
  if (smallSentence) sentences.push(smallSentence);
  for (const network of networks) {
    const sweep = mainSweep(sweeps, network);
    const answer = sweep && sizeAnswer(sweep);
    if (answer) sentences.push(answer);
  }
  // Decided tunings first: when the list is cut, an undecided one goes before an answer does.
  const worths = networks
    .map((network) => tuningWorth(sweeps, network))
    .filter((w) => w !== undefined)
    .sort((a, b) => Number(b.decided) - Number(a.decided))
    .map((w, i) =>
      i === 0 ? { ...w.sentence, text: `${w.sentence.text}${cannotRaise(results)}` } : w.sentence,
    )
    .map((sentence) => ({ ...sentence, text: `${sentence.text}.` }));
  sentences.push(...worths);
  if (networks.every((n) => n.loopback)) {
    sentences.push({
      text: `This run measured loopback only: at which message size the winner changes on a real network (LAN, WAN, mobile) and what the window setting is worth there is what the decision suite answers (\`${decisionSuiteHint}\`).`,
      evidence: { anchor: '#environment', label: 'environment' },
    });
  }
  // The loopback-only hint is kept when the list is cut: it is the one a reader must not miss.
  if (sentences.length <= maxVerdictSentences) return sentences;
  const hint = networks.every((n) => n.loopback) ? sentences.slice(-1) : [];
  return [...sentences.slice(0, maxVerdictSentences - hint.length), ...hint];
}
