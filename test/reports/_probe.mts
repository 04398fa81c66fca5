import { makeResults } from './fixtures/make-results.js';
import { renderPngCharts } from '../../reports/render-png.js';
const r = makeResults();
const t = Date.now();
console.log(renderPngCharts('/tmp/rep1', r), Date.now() - t);
