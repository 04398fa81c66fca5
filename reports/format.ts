/**
 * Number and text formatting shared by every renderer. Locale-free on purpose: the same results
 * give the same bytes on every machine, whatever its language settings.
 */

/** Groups the integer digits in threes with commas: 1234567.5 → "1,234,567.5". */
function groupThousands(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/**
 * A number to about `significant` significant digits, never in exponent notation, with
 * thousands separators; integers of more digits than that are rounded to whole units.
 */
export function formatNumber(value: number, significant = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, significant - 1 - magnitude);
  const rounded =
    decimals === 0
      ? Math.round(value).toString()
      : value.toFixed(Math.min(decimals, 6)).replace(/\.?0+$/, '');
  return groupThousands(rounded).replace(/^-/, '−');
}

export type LatencyUnit = 'µs' | 'ms' | 's';

/** The unit that keeps a column of latencies readable: the smallest value decides. */
export function latencyUnitFor(valuesUs: readonly number[]): LatencyUnit {
  const finite = valuesUs.filter((v) => Number.isFinite(v) && v > 0);
  const smallest = finite.length === 0 ? 0 : Math.min(...finite);
  if (smallest >= 1_000_000) return 's';
  if (smallest >= 1000) return 'ms';
  return 'µs';
}

export function inUnit(valueUs: number, unit: LatencyUnit): number {
  return unit === 's' ? valueUs / 1_000_000 : unit === 'ms' ? valueUs / 1000 : valueUs;
}

/** "4.21 ms", with the unit chosen from the value itself. */
export function formatLatency(valueUs: number, unit: LatencyUnit = latencyUnitFor([valueUs])): string {
  return `${formatNumber(inUnit(valueUs, unit))} ${unit}`;
}

/** A count, rounded to a whole number: 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  return groupThousands(Math.round(value).toString()).replace(/^-/, '−');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024 * 1024))} GiB`;
  if (bytes >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 10 * 1024) return `${formatNumber(bytes / 1024)} KiB`;
  return `${formatNumber(bytes)} B`;
}

/** A ratio as "1.34×". */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${formatNumber(ratio, 3)}×` : 'n/a';
}

/** A relative change as "+12.3%" / "−4.0%". */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const percent = fraction * 100;
  const text = Math.abs(percent) >= 100 ? Math.abs(percent).toFixed(0) : Math.abs(percent).toFixed(1);
  return `${percent < 0 ? '−' : '+'}${text}%`;
}

export function formatPercent(fraction: number): string {
  if (fraction === 0) return '0%';
  const percent = fraction * 100;
  return `${percent < 0.01 ? '<0.01' : formatNumber(percent, 2)}%`;
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
}

/** Text safe inside a GitHub-flavoured Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([|`*_[\]<>#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** A name usable as a file name or an HTML id: lower-case letters, digits and dashes. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}
