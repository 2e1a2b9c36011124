import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MagpieError } from '../core/errors.js';

let cached: { source: string; version: string } | null = null;

/**
 * The minified ECharts bundle from the installed `echarts` package, inlined into every report so
 * the page draws its charts with no network access. Read once per process.
 */
export function echartsBundle(): { source: string; version: string } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let path: string;
  let version: string;
  try {
    path = require.resolve('echarts/dist/echarts.min.js');
    version = (JSON.parse(readFileSync(require.resolve('echarts/package.json'), 'utf8')) as { version: string }).version;
  } catch (error) {
    throw new MagpieError('internal', 'the echarts package is not installed, so the report cannot embed its charts', { hint: 'run npm install in the magpie folder', cause: error });
  }
  const source = readFileSync(path, 'utf8');
  // Inlined in a <script> element, the text must not close it early.
  if (/<\/script/i.test(source)) throw new MagpieError('internal', `${path} contains "</script", which cannot be inlined`);
  cached = { source, version };
  return cached;
}
