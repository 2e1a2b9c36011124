// The report in a real browser (Debian's Chromium through playwright-core, headless): it loads
// from file:// with every network request blocked, logs no error, draws every chart, and its
// screenshot is a real picture. report.test.ts runs it on the sample's report, built once for both
// suites (building it is most of the time either takes).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { SampleReport } from './sample.case.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium: $CHROMIUM_PATH, /usr/bin/chromium, or whatever `which chromium` finds on the
 * PATH. Missing, it is a failure that says how to install it (the CI script does).
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env, fixed: readonly string[] = ['/usr/bin/chromium']): string {
  const candidates = [env.CHROMIUM_PATH, ...fixed].filter((p): p is string => !!p);
  for (const path of candidates) if (existsSync(path)) return path;
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8', env: { PATH: env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (found) return found;
  } catch {
    // not on the PATH either (or no `which`): fall through to the message below
  }
  throw new Error('Chromium is not installed, so the report cannot be checked in a browser: apt-get install chromium (or set CHROMIUM_PATH)');
}

// Runs in the page (the project compiles without DOM types, so it is kept as text): for each chart
// id, whether ECharts owns the element, the size of the SVG it drew, its shapes and its texts.
const CHECK_CHARTS = `(ids) => ids.map((id) => {
  const el = document.getElementById(id);
  const svg = el && el.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : null;
  return {
    id,
    instance: !!el && !!echarts.getInstanceByDom(el),
    width: box ? box.width : 0,
    height: box ? box.height : 0,
    shapes: svg ? svg.querySelectorAll('path, rect, circle, polyline, polygon').length : 0,
    texts: svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent || '') : [],
  };
})`;

interface ChartCheck {
  id: string;
  instance: boolean;
  width: number;
  height: number;
  shapes: number;
  texts: string[];
}

/** Registers the browser suite on a report that `getSample` gives once it is built. */
export function browserSuite(getSample: () => Promise<SampleReport>): void {
  describe('the report in headless Chromium', () => {
    let sample: SampleReport;
    let profile: string;
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];
    const attempted: string[] = [];

    before(async () => {
      const executablePath = chromiumPath();
      sample = await getSample();
      profile = mkdtempSync(join(tmpdir(), 'magpie-chromium-'));
      context = await chromium.launchPersistentContext(profile, { executablePath, args: ARGS, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await context.route('**', async (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        attempted.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(sample.path).href, { waitUntil: 'load' });
      await page.waitForSelector('html[data-charts-ready]', { timeout: 15_000 });
    });
    after(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it('loads with no console error, no page error and no network request', () => {
      assert.deepEqual(problems, []);
      assert.deepEqual(attempted, []);
    });

    it('draws every chart: an ECharts instance with a sized SVG holding shapes', async () => {
      const expected = sample.report.sections.flatMap((s) => s.charts.map((c) => c.id));
      const checks = (await page.evaluate(`(${CHECK_CHARTS})(${JSON.stringify(expected)})`)) as ChartCheck[];
      assert.equal(await page.getAttribute('html', 'data-charts-ready'), String(expected.length));
      for (const c of checks) {
        assert.ok(c.instance, `${c.id}: no ECharts instance`);
        assert.ok(c.width > 200 && c.height > 150, `${c.id}: svg is ${c.width}×${c.height}`);
        assert.ok(c.shapes >= 5, `${c.id}: only ${c.shapes} shapes drawn`);
        assert.ok(!c.texts.some((t) => t.includes('fmt:')), `${c.id}: a named formatter was not applied`);
      }
      // Formatters ran: money on the revenue axis, percentages in the retention cells.
      const text = (id: string): string => checks.find((c) => c.id === id)!.texts.join(' ');
      assert.match(text('orders-revenue'), /£\d/);
      assert.match(text('retention-classic'), /100%/);
    });

    it('takes a full-page screenshot that is a real picture', async () => {
      const path = join(sample.dir, 'report.png');
      await page.screenshot({ path, fullPage: true });
      const png = statSync(path);
      assert.ok(png.size > 150_000, `screenshot is only ${png.size} bytes`);
      const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
      assert.ok(height > 4000, `page is only ${height}px tall`);
    });
  });
}
