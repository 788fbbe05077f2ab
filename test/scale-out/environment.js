/**
 * The scale-out suite's environment: the shared node environment (test/helpers/node-environment.js)
 * that also notes failed tests and hooks in `globalThis.scaleOutFailures`, so the cluster fixture
 * (cluster-fixtures.ts) keeps each process's log and prints where they are. Plain JS: jest loads the
 * environment before any transform.
 */
const SharedTypedArraysEnvironment = require('../helpers/node-environment');

class ScaleOutEnvironment extends SharedTypedArraysEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.scaleOutFailures = [];
  }

  handleTestEvent(event) {
    if (event.name === 'test_fn_failure') this.global.scaleOutFailures.push(event.test.name);
    if (event.name === 'hook_failure') this.global.scaleOutFailures.push(`${event.hook.type} hook`);
  }
}

module.exports = ScaleOutEnvironment;
