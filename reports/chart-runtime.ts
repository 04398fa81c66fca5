/**
 * Turns a chart spec (plain data, see chart-specs.ts) into a Chart.js configuration: tick
 * formatters, the percentile axis, the error-bar and white-background plugins. Chart.js options
 * hold functions, which JSON cannot carry, so this is kept as JavaScript source: the HTML report
 * inlines it and runs it in the browser, and the PNG renderer evaluates the same text in Node,
 * so both draw from one definition.
 *
 * Plain ES2019 without imports; `buildConfig(spec, env)` is its only entry point.
 */
import { runInThisContext } from 'node:vm';
import type { ChartConfiguration } from 'chart.js';
import type { ChartSpec } from './chart-specs.js';

export const chartRuntimeSource = String.raw`(function () {
  'use strict';
  var ink = '#1a1a1a';
  var grid = '#d9d9d9';

  function percentLabel(x) {
    if (x <= 1) return '0%';
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return (100 - 100 / x).toFixed(digits) + '%';
  }

  function numberLabel(value) {
    var abs = Math.abs(value);
    if (abs >= 1000) return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    if (abs >= 10 || abs === 0) return String(Math.round(value * 10) / 10);
    return String(Math.round(value * 1000) / 1000);
  }

  var whiteBackground = {
    id: 'whiteBackground',
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    }
  };

  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach(function (bar, j) {
          var half = Math.max(4, (bar.width || 16) / 5);
          ctx.save();
          ctx.strokeStyle = ink;
          ctx.lineWidth = 1.5;
          var interval = dataset.errorBars && dataset.errorBars[j];
          if (interval) {
            var top = y.getPixelForValue(interval.high);
            var bottom = y.getPixelForValue(interval.low);
            ctx.beginPath();
            ctx.moveTo(bar.x, top);
            ctx.lineTo(bar.x, bottom);
            ctx.moveTo(bar.x - half, top);
            ctx.lineTo(bar.x + half, top);
            ctx.moveTo(bar.x - half, bottom);
            ctx.lineTo(bar.x + half, bottom);
            ctx.stroke();
          }
          var values = (dataset.points && dataset.points[j]) || [];
          values.forEach(function (value, k) {
            ctx.beginPath();
            ctx.arc(bar.x + half + 7 + k * 7, y.getPixelForValue(value), 3, 0, 2 * Math.PI);
            ctx.fillStyle = '#ffffff';
            ctx.fill();
            ctx.stroke();
          });
          ctx.restore();
        });
      });
    }
  };

  function buildConfig(spec, env) {
    var font = { family: env.fontFamily, size: 12 };
    var bar = spec.kind === 'bar';
    var datasets = spec.datasets.map(function (d) {
      var out = {
        label: d.label,
        data: d.data,
        backgroundColor: d.color,
        borderColor: d.color,
        borderWidth: bar ? 0 : 2,
        borderDash: d.dash || [],
        pointStyle: d.pointStyle || 'circle',
        pointRadius: d.pointRadius === undefined ? 0 : d.pointRadius,
        pointBackgroundColor: '#ffffff',
        pointBorderWidth: 1.5,
        fill: false,
        tension: 0,
        errorBars: d.errorBars,
        points: d.points,
        showLine: d.showLine !== false
      };
      return out;
    });
    var x = {
      title: { display: true, text: spec.xTitle, color: ink, font: font },
      ticks: { color: ink, font: font },
      grid: { color: grid }
    };
    if (spec.xScale === 'percentile') {
      x.type = 'logarithmic';
      x.min = 1;
      x.max = spec.xMax;
      x.afterBuildTicks = function (scale) {
        scale.ticks = spec.xTicks.map(function (v) { return { value: v }; });
      };
      x.ticks.callback = function (value) { return percentLabel(value); };
      x.ticks.autoSkip = false;
      x.ticks.maxRotation = 0;
    } else if (spec.xScale === 'log') {
      x.type = 'logarithmic';
      x.ticks.callback = function (value) {
        var mantissa = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
        return Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 3) < 1e-6 ? numberLabel(value) : '';
      };
      x.ticks.maxRotation = 0;
    } else if (spec.xScale === 'linear') {
      x.type = 'linear';
      x.ticks.stepSize = 1;
      x.ticks.precision = 0;
    } else {
      x.type = 'category';
      x.grid = { display: false };
    }
    var y = {
      type: 'linear',
      beginAtZero: true,
      title: { display: true, text: spec.yTitle, color: ink, font: font },
      ticks: { color: ink, font: font, callback: function (value) { return numberLabel(value); } },
      grid: { color: grid }
    };
    if (spec.yMax !== undefined) y.suggestedMax = spec.yMax;
    if (spec.yScale === 'log') {
      y.type = 'logarithmic';
      y.beginAtZero = false;
    }
    return {
      type: bar ? 'bar' : 'line',
      data: { labels: spec.labels ? spec.labels.slice() : undefined, datasets: datasets },
      options: {
        responsive: false,
        animation: false,
        locale: 'en-US',
        devicePixelRatio: env.devicePixelRatio,
        events: env.interactive ? ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'] : [],
        layout: { padding: 8 },
        scales: { x: x, y: y },
        plugins: {
          title: { display: true, text: spec.title, color: ink, font: { family: env.fontFamily, size: 15, weight: 'bold' } },
          legend: {
            display: spec.legend,
            position: 'bottom',
            labels: bar
              ? { color: ink, font: font, boxWidth: 14 }
              : {
                  color: ink,
                  font: font,
                  usePointStyle: true,
                  pointStyleWidth: 34,
                  boxHeight: 8,
                  // Drawn as a short stretch of the line itself, with its dash.
                  generateLabels: function (chart) {
                    return chart.data.datasets.map(function (d, i) {
                      return {
                        text: d.label,
                        datasetIndex: i,
                        hidden: !chart.isDatasetVisible(i),
                        fillStyle: d.borderColor,
                        strokeStyle: d.borderColor,
                        lineWidth: 2.5,
                        lineDash: d.borderDash,
                        pointStyle: 'line',
                        fontColor: ink
                      };
                    });
                  }
                }
          },
          tooltip: { enabled: !!env.interactive }
        }
      },
      plugins: [whiteBackground, errorBars]
    };
  }

  return { buildConfig: buildConfig, percentLabel: percentLabel };
})()`;

export interface ChartEnvironment {
  readonly devicePixelRatio: number;
  readonly fontFamily: string;
  /** Tooltips and hover (browser); off for images. */
  readonly interactive: boolean;
}

export interface ChartRuntime {
  buildConfig(spec: ChartSpec, env: ChartEnvironment): ChartConfiguration;
  percentLabel(x: number): string;
}

let loaded: ChartRuntime | undefined;

/** The runtime evaluated in this process, for server-side rendering. */
export function chartRuntime(): ChartRuntime {
  loaded ??= runInThisContext(chartRuntimeSource, { filename: 'chart-runtime.js' }) as ChartRuntime;
  return loaded;
}
