/** Every example platform in charts/examples/ synthesizes (both environments), deterministically and with no warning. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from '../src/cli/commands/synth.js';
import { captureIo } from './gitops/cli-io.js';
import { tempDir } from './helpers.js';

const EXAMPLES = readdirSync('charts/examples').filter((f) => f.endsWith('.yaml'));

describe('charts/examples', () => {
  test('there are the gRPC shop and the Python company', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['grpc-shop.yaml', 'python-company.yaml']));
  });

  test.each(EXAMPLES)('%s synthesizes twice to the same bytes, without warnings', async (file) => {
    // GIVEN the example  WHEN synthesized into two fresh folders
    const outs = [tempDir(), tempDir()];
    const ios = outs.map((out) => captureIo(out, {}));
    const codes = await Promise.all(outs.map((_out, i) => synth(['--file', join(process.cwd(), 'charts/examples', file), '--out', 'dist'], ios[i])));
    // THEN both succeed silently on stderr and agree byte for byte
    expect(codes).toEqual([0, 0]);
    expect(ios.map((io) => io.err().replace(/^berth: using .*\n/m, ''))).toEqual(['', '']);
    const read = (out: string) =>
      readdirSync(join(out, 'dist', 'production'))
        .sort()
        .map((f) => [f, readFileSync(join(out, 'dist', 'production', f), 'utf8')]);
    expect(read(outs[0])).toEqual(read(outs[1]));
    expect(read(outs[0]).length).toBeGreaterThan(3);
  });
});
