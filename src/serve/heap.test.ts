import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { MagpieError } from '../core/errors.js';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth, scavengeAlone } from './heap.js';

const heapModule = new URL('./heap.ts', import.meta.url).href;

/**
 * Peak V8 heap (MiB) of a child process that keeps 60k cache entries alive and keeps replacing
 * them, as a server's caches do: each entry lives long enough to be promoted, then dies old.
 */
function churnPeak(percent: number): number {
  const script = `
    import { limitHeapGrowth } from ${JSON.stringify(heapModule)};
    limitHeapGrowth(${percent});
    const slots = new Array(60000);
    let peak = 0;
    for (let i = 0; i < 900000; i++) {
      slots[i % slots.length] = { id: 'entry-' + i, items: new Array(24).fill(i) };
      if (i % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    console.log(peak / 2 ** 20);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out.trim());
}

describe('limitHeapGrowth', () => {
  it('applies MAGPIE_HEAP_GROWTH, 50 % by default, 0 to keep V8 as it is', () => {
    assert.equal(limitHeapGrowth(undefined), DEFAULT_HEAP_GROWTH_PERCENT);
    assert.equal(limitHeapGrowth(''), DEFAULT_HEAP_GROWTH_PERCENT);
    assert.equal(limitHeapGrowth('40'), 40);
    assert.equal(limitHeapGrowth(0), 0);
    limitHeapGrowth(DEFAULT_HEAP_GROWTH_PERCENT);
  });

  it('refuses a value that is not a whole percentage, naming the variable', () => {
    for (const bad of ['-5', '12.5', 'lots', '5000']) {
      assert.throws(
        () => limitHeapGrowth(bad),
        (error: unknown) => error instanceof MagpieError && error.code === 'invalid_input' && /MAGPIE_HEAP_GROWTH/.test(error.message),
      );
    }
  });

  it('keeps the heap of a churning cache well below where V8 left alone lets it grow', () => {
    const capped = churnPeak(10);
    const free = churnPeak(0);
    assert.ok(capped < free * 0.8, `peak heap ${capped.toFixed(0)} MiB capped vs ${free.toFixed(0)} MiB left alone`);
  });
});

describe('scavengeAlone', () => {
  it('scavenges on one thread unless MAGPIE_PARALLEL_SCAVENGE is 1, and refuses other values naming the variable', () => {
    assert.equal(scavengeAlone(undefined), false);
    assert.equal(scavengeAlone('0'), false);
    assert.equal(scavengeAlone('1'), true);
    assert.equal(scavengeAlone('true'), true);
    for (const bad of ['yes', '2']) {
      assert.throws(
        () => scavengeAlone(bad),
        (error: unknown) => error instanceof MagpieError && error.code === 'invalid_input' && /MAGPIE_PARALLEL_SCAVENGE/.test(error.message),
      );
    }
  });
});
