import { spawnSync } from 'node:child_process';
import { INTERRUPT_BUDGET, v8Tuning } from '../../src/cli/v8-tuning.js';

describe('v8Tuning', () => {
  test("sets berth's interrupt budget when the user did not choose one", () => {
    // GIVEN node started without an interrupt budget WHEN berth asks for its flags THEN it raises the budget
    expect(v8Tuning([])).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
    expect(v8Tuning(['--enable-source-maps', '--max-old-space-size=4096'])).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
  });

  test.each([[['--interrupt-budget=67584']], [['--max-old-space-size=4096', '--interrupt_budget=100000']]])(
    "leaves the budget to the user's own flag on node's command line (execArgv %j)",
    (execArgv) => {
      expect(v8Tuning(execArgv)).toEqual([]);
    },
  );

  test('NODE_OPTIONS cannot carry the flag (node refuses to start), so berth need not look there', () => {
    // GIVEN the flag in NODE_OPTIONS WHEN node starts THEN it exits at once naming the flag
    const r = spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--interrupt-budget=100000' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--interrupt-budget= is not allowed in NODE_OPTIONS');
  });

  test('the running node knows the flag and takes it from setFlagsFromString without a warning (the V8 contract berth relies on)', () => {
    // GIVEN this node's V8 options
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).stdout;
    // THEN --interrupt-budget is an int flag
    expect(options).toMatch(/^\s+--interrupt-budget \(.*\)\n\s+type: int/m);
    // WHEN it is set at run time, as the berth executable does
    const set = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(v8Tuning([])[0])})`], {
      encoding: 'utf8',
    });
    // THEN V8 accepts it silently
    expect({ status: set.status, stderr: set.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
