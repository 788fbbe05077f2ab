#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx, so there is no build step to forget.
require('tsx/cjs');
require('../src/cli/main.ts');
