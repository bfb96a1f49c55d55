#!/usr/bin/env node
// CommonJS (bin/package.json): no ES module is loaded on the way, and so not
// Node's ESM loader either (scripts/bundle.mjs says why).
'use strict';

require('./code-cache.js').install();
require('../dist/bundle/main.js').run();
