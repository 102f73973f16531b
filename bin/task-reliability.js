#!/usr/bin/env node
// The CLI lives in the bundle; run `npm run build` first when using it from a checkout.
require('../dist/cli.js');
