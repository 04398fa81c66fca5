/**
 * The report's charts as PNG files (for report.md and CI summaries), drawn server-side by Chart.js
 * on @napi-rs/canvas from the same specs and runtime as the HTML report. Deterministic: no
 * animation, a fixed size and pixel ratio, and a registered font when the machine has one.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, type ChartItem, registerables } from 'chart.js';
import type { Results } from '../bench/results/results-types.js';
import { chartRuntime } from './chart-runtime.js';
import { type ChartSpec, chartHeight, chartPngPath, chartSpecs, chartWidth } from './chart-specs.js';
import { buildReportModel } from './report-model.js';

export const chartPixelRatio = 2;

/** Fonts tried in order; the first one found is registered under `reportFontAlias`. */
const fontCandidates = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
];
const reportFontAlias = 'ReportSans';

let fontFamily: string | undefined;

function chartFont(): string {
  if (fontFamily === undefined) {
    const found = fontCandidates.find((path) => existsSync(path));
    const registered = found !== undefined && GlobalFonts.registerFromPath(found, reportFontAlias) !== null;
    if (found !== undefined) {
      // The bold face for titles, when it sits beside the regular one.
      const bold = found.replace(/(-Regular)?\.ttf$/, '-Bold.ttf');
      if (bold !== found && existsSync(bold)) GlobalFonts.registerFromPath(bold, reportFontAlias);
    }
    fontFamily = registered ? `${reportFontAlias}, sans-serif` : 'sans-serif';
    Chart.register(...registerables);
  }
  return fontFamily;
}

/** One chart as PNG bytes. */
export function renderChartPng(spec: ChartSpec): Buffer {
  const family = chartFont();
  const canvas = createCanvas(chartWidth, chartHeight);
  const context = canvas.getContext('2d');
  context.lang = 'en';
  const config = chartRuntime().buildConfig(spec, {
    devicePixelRatio: chartPixelRatio,
    fontFamily: family,
    interactive: false,
  });
  // Chart.js takes any object with getContext('2d'): here, a Skia canvas instead of a DOM one.
  const chart = new Chart(canvas as unknown as ChartItem, config);
  try {
    return canvas.encodeSync('png');
  } finally {
    chart.destroy();
  }
}

/** Writes `charts/<id>.png` for every chart of the report; returns the paths written. */
export function renderPngCharts(outDir: string, results: Results): string[] {
  const dir = join(outDir, 'charts');
  mkdirSync(dir, { recursive: true });
  return chartSpecs(buildReportModel(results)).map((spec) => {
    const path = join(outDir, chartPngPath(spec));
    writeFileSync(path, renderChartPng(spec));
    return path;
  });
}
