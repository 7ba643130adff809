// Jest runner for the "e2e" project: the default runner, but serial (in band), because all e2e
// suites share one control plane on a 2-core machine. Other projects keep running in parallel.
const TestRunner = require('jest-runner').default;

class SerialRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    this.isSerial = true;
  }
}
module.exports = SerialRunner;
