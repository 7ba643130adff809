import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlatform } from '../../src/render/render.js';
import { SPARE_FOLDER } from '../../src/render/spare.js';
import { writeRendering } from '../../src/render/write.js';
import { platform, service, tempDir } from '../helpers.js';
import { measureOutput } from './synth-output.js';

describe('measureOutput', () => {
  test("counts the rendering a re-synth leaves, not berth's spare copy of the previous one", () => {
    // GIVEN a folder synthesized once, and one synthesized twice (so it holds a spare)
    const once = tempDir();
    const twice = tempDir();
    const rendering = (replicas: number) => renderPlatform(platform(['api', 'web'].map((name) => service({ name, host: `${name}.example.com`, replicas }))));
    writeRendering(once, rendering(2));
    writeRendering(twice, rendering(3));
    writeRendering(twice, rendering(2));
    expect(existsSync(join(twice, SPARE_FOLDER))).toBe(true);
    // WHEN both are measured THEN they hold the same objects, files and bytes
    const measured = measureOutput(once);
    expect(measured.objects).toBeGreaterThan(4);
    expect(measureOutput(twice)).toEqual(measured);
  });
});
