#!/usr/bin/env node
// Entry point of the `magpie` command. Runs the compiled CLI; `npm install` builds it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error('magpie: the compiled CLI is missing (dist/cli/bin.js). Run `npm run build` in the magpie folder first.');
  process.exit(1);
}
await import(compiled.href);
