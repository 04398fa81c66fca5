import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartHeight, chartPngPath, chartSpecs, chartWidth } from '../../reports/chart-specs.js';
import { chartPixelRatio, renderChartPng } from '../../reports/render-png.js';
import { buildReportModel } from '../../reports/report-model.js';
import { type RenderedFixture, renderFixture } from './support/rendered-fixture.js';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('charts/*.png', () => {
  let fixture: RenderedFixture;
  beforeAll(() => {
    fixture = renderFixture();
  });
  afterAll(() => fixture?.remove());

  it('writes one PNG per chart, each a drawn image', async () => {
    const specs = chartSpecs(buildReportModel(fixture.results));
    expect(specs.length).toBe(10);
    const written = fixture.files
      .filter((f) => f.endsWith('.png'))
      .map((f) => f.slice(fixture.dir.length + 1));
    expect(written).toEqual(specs.map(chartPngPath));
    for (const spec of specs) {
      const bytes = readFileSync(join(fixture.dir, chartPngPath(spec)));
      expect(bytes.subarray(0, 8).equals(pngSignature), `${spec.id} is a PNG`).toBe(true);
      const image = await loadImage(bytes);
      expect([image.width, image.height]).toEqual([
        chartWidth * chartPixelRatio,
        chartHeight * chartPixelRatio,
      ]);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let sum = 0;
      let squares = 0;
      let inked = 0;
      let translucent = 0;
      const pixels = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
        sum += luma;
        squares += luma * luma;
        if (luma < 230) inked++;
        if (data[i + 3] !== 255) translucent++;
      }
      // Opaque, so readable on a dark page too.
      expect(translucent, `${spec.id} is opaque`).toBe(0);
      const variance = squares / pixels - (sum / pixels) ** 2;
      expect(variance, `${spec.id} is not blank`).toBeGreaterThan(100);
      expect(inked / pixels, `${spec.id} has ink`).toBeGreaterThan(0.01);
    }
  });

  it('draws the same bytes for the same spec', () => {
    const [spec] = chartSpecs(buildReportModel(fixture.results));
    expect(renderChartPng(spec!).equals(renderChartPng(spec!))).toBe(true);
  });
});
