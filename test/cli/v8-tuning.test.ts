import { spawnSync } from 'node:child_process';
import { INTERRUPT_BUDGET, v8Tuning } from '../../src/cli/v8-tuning.js';

describe('v8Tuning', () => {
  test("sets berth's interrupt budget when the user did not choose one", () => {
    // GIVEN node started without V8 flags and no NODE_OPTIONS WHEN berth asks for its flags THEN it raises the budget
    expect(v8Tuning([], undefined)).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
    expect(v8Tuning(['--enable-source-maps'], '--max-old-space-size=4096')).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
  });

  test.each([
    [['--interrupt-budget=67584'], undefined],
    [[], '--max-old-space-size=4096 --interrupt-budget=100000'],
    [[], '--interrupt_budget=100000'],
  ])("leaves the budget to the user's own flag (execArgv %j, NODE_OPTIONS %j)", (execArgv, nodeOptions) => {
    expect(v8Tuning(execArgv, nodeOptions)).toEqual([]);
  });

  test('the running node knows the flag and takes it from setFlagsFromString without a warning (the V8 contract berth relies on)', () => {
    // GIVEN this node's V8 options
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).stdout;
    // THEN --interrupt-budget is an int flag
    expect(options).toMatch(/^\s+--interrupt-budget \(.*\)\n\s+type: int/m);
    // WHEN it is set at run time, as the berth executable does
    const set = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(v8Tuning([], undefined)[0])})`], {
      encoding: 'utf8',
    });
    // THEN V8 accepts it silently
    expect({ status: set.status, stderr: set.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
