import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildComparison } from '../../src/compare/compare.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { writeComparison } from '../../src/compare/write.js';
import { LinkError } from '../../src/render/no-follow.js';
import { renderPlatform } from '../../src/render/render.js';
import { platform, service, snapshotDir, tempDir } from '../helpers.js';
import { ecsStandIn } from './ecs-stand-in.js';

const [production] = renderPlatform(platform([service()]), { environments: ['production'] });
const data = buildComparison({ environment: production, ecs: ecsStandIn(production), prices: DEFAULT_PRICES, source: 'test' });

describe('writeComparison', () => {
  it('writes index.html, report.md and data.json', () => {
    // GIVEN an empty folder; WHEN the comparison is written
    const dir = tempDir();
    writeComparison(dir, 'compare', data);
    // THEN the three files exist, data.json parses back to the data, the page has no script
    expect(Object.keys(snapshotDir(join(dir, 'compare')))).toEqual(['data.json', 'index.html', 'report.md']);
    expect(JSON.parse(readFileSync(join(dir, 'compare', 'data.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(data)));
    expect(readFileSync(join(dir, 'compare', 'index.html'), 'utf8')).not.toContain('<script');
  });

  it('refuses an output folder that is a symbolic link and writes nothing through it', () => {
    // GIVEN compare -> elsewhere
    const dir = tempDir();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'compare'));
    // WHEN written; THEN a LinkError, and the link's target stays empty
    expect(() => writeComparison(dir, 'compare', data)).toThrow(LinkError);
    expect(existsSync(join(dir, 'elsewhere', 'index.html'))).toBe(false);
  });

  it('replaces a link planted at a file path instead of writing through it', () => {
    // GIVEN compare/index.html -> a file outside
    const dir = tempDir();
    mkdirSync(join(dir, 'compare'));
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'compare', 'index.html'));
    // WHEN written; THEN refused (no write through the link)
    expect(() => writeComparison(dir, 'compare', data)).toThrow(LinkError);
    expect(existsSync(join(dir, 'victim.txt'))).toBe(false);
  });
});
