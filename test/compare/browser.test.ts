/** The report page in a real browser (headless Chromium from disk): no console errors, charts laid out, not blank. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildComparison } from '../../src/compare/compare.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { writeComparison } from '../../src/compare/write.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { renderPlatform } from '../../src/render/render.js';
import { chartBoxes, screenshot } from './browser.js';
import { ecsStandIn } from './ecs-stand-in.js';
import { readPng } from './png.js';
import { tempDir } from '../helpers.js';

describe('compare/index.html in headless Chromium', () => {
  it('loads without console errors, lays out every chart and renders a non-blank page', async () => {
    // GIVEN the example platform's production report on disk
    const [production] = renderPlatform(loadPlatformFile('charts/platform.yaml'), { environments: ['production'] });
    const out = tempDir('berth-compare-page-');
    writeComparison(
      out,
      'compare',
      buildComparison({ environment: production, ecs: ecsStandIn(production), prices: DEFAULT_PRICES, source: 'charts/platform.yaml' }),
    );
    const html = join(out, 'compare', 'index.html');
    expect(readFileSync(html, 'utf8')).not.toMatch(/<script|https?:\/\/[^"<\s]*\.(js|css|png|woff)/);

    // WHEN Chromium opens it from disk
    const png = join(out, 'screenshot.png');
    const consoleLines = await screenshot(html, png);
    const boxes = await chartBoxes(html);

    // THEN no console errors
    expect(consoleLines.filter((l) => /error/i.test(l))).toEqual([]);
    // AND the cost chart and one packing chart per node option are laid out with a non-zero size and a title
    expect(boxes.map((b) => b.id)).toEqual(['cost-chart', 'packing-chart-0', 'packing-chart-1']);
    for (const b of boxes) {
      expect(b.width).toBeGreaterThan(100);
      expect(b.height).toBeGreaterThan(50);
      expect(b.title).not.toBe('');
    }
    // AND the screenshot (kept in the temp folder) is not blank
    const info = readPng(readFileSync(png));
    process.stderr.write(
      `compare page screenshot: ${png} (${info.width}×${info.height}, ${statSync(png).size} bytes, ${info.distinct} distinct sampled colours)\n`,
    );
    expect([info.width, info.height]).toEqual([1280, 2000]);
    expect(info.distinct).toBeGreaterThan(5);
  }, 180_000);
});
