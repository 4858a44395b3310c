#!/usr/bin/env node
// The package's bin: runs the compiled CLI (npm run build makes lib/).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'lib', 'cli.js');
if (!existsSync(cli)) {
  console.error('email-to-ticket: the project is not built yet; run `npm run build` first');
  process.exit(1);
}
require(cli);
