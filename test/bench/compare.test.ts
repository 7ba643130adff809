import { runCompareBench } from './compare.js';

describe('runCompareBench', () => {
  test('reports the machine, the method, both steps with their runs, the verdict and the untimed render', () => {
    // GIVEN a small generated platform WHEN the packing benchmark runs on it
    const report = runCompareBench({ services: 30, runs: 3, command: 'npm run bench -- --only compare' });
    // THEN the report says where and how it was measured
    expect(report).toMatch(/^Target \(issue 9\): the comparison of 30 services takes ≤ 1 s\.$/m);
    expect(report).toMatch(/^Machine: .+ cores, .+ GiB RAM, .+; load average \(1 min\) [\d.]+ at start, [\d.]+ at end\. {2}$/m);
    expect(report).toContain('with `npm run bench -- --only compare`.');
    // AND each step has a median and its three runs
    expect(report).toMatch(/^\| FFD packing onto e2-standard-4 \(\d+ nodes\) \| [\d.]+ ms \| \d+, \d+, \d+ \|$/m);
    expect(report).toMatch(/^\| whole comparison \(8 packings, 5 options, features\) \| [\d.]+ ms \| \d+, \d+, \d+ \|$/m);
    expect(report).toMatch(/^- PASS: whole comparison [\d.]+ ms ≤ 1000 ms$/m);
    expect(report).toMatch(/^- Rendering the 30-service platform in the same process, once, before the timed steps: [\d.]+ s \(not counted\)\.$/m);
  });
});
