#!/usr/bin/env node
// Process entry of the CLI (bin/magpie.js loads the compiled form; tests run it through tsx).
import { main } from './main.js';

await main(process.argv);
