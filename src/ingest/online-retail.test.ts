import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { onlineRetailSource, RETAIL_REJECTIONS } from './online-retail.js';
import { retailCategory } from './retail-categories.js';
import { collect, tempFile } from './test-files.case.js';

const HEADER = '"InvoiceNo","StockCode","Description","Quantity","InvoiceDate","UnitPrice","CustomerID","Country"';
const ROWS = [
  '"536365","85123A","WHITE HANGING HEART T-LIGHT HOLDER",6,"2010-12-01 08:26:00",2.55,17850,"United Kingdom"', // line 2
  '"536365","71053","WHITE METAL LANTERN",6,"2010-12-01 08:26:00",3.39,17850.0,"United Kingdom"', // 3: id written as float
  '"536366","85123A","WHITE HANGING HEART T-LIGHT HOLDER",2,"2010-12-01 09:00:00",2.95,,"United Kingdom"', // 4: anonymous
  '"C536379","71053","WHITE METAL LANTERN",-1,"2010-12-01 09:41:00",3.39,14527,"France"', // 5: cancellation
  '"536370","POST","POSTAGE",3,"2010-12-01 08:45:00",18,12583,"France"', // 6: postage
  '"A563185","B","Adjust bad debt",1,"2011-08-12 14:50:00",-11062.06,,"United Kingdom"', // 7: bad debt
  '"536414","22139","",56,"2010-12-01 11:52:00",0,,"United Kingdom"', // 8: zero price
  '"536415","22139","RETROSPOT TEA SET, CERAMIC",-5,"2010-12-01 11:52:00",4.95,,"United Kingdom"', // 9: negative quantity, no C
  '"536416","22139","RETROSPOT TEA SET, CERAMIC",2,"yesterday",4.95,12583,"France"', // 10: bad date
  '"536417","22139","broken row"', // 11: short row
  '"536365","85123A","WHITE HANGING HEART T-LIGHT HOLDER",6,"2010-12-01 08:26:00",2.55,17850,"United Kingdom"', // 12: same line again on the same invoice
  '"536365","22633","HAND WARMER UNION JACK",6,"2010-12-01 08:26:00",1.85,17850,"United Kingdom"', // 13: invoice resumes later
];

describe('onlineRetailSource', () => {
  it('turns invoice lines into purchases, returns, anonymous sessions, items, users and orders', async () => {
    const records = await collect(onlineRetailSource(tempFile('retail.csv.gz', [HEADER, ...ROWS].join('\n'))));
    const events = records.filter((r) => r.event).map((r) => r.event!);
    assert.deepEqual(events.map((e) => e.id), ['or:536365:85123A:1', 'or:536365:71053:1', 'or:536366:85123A:1', 'or:C536379:71053:1', 'or:536365:85123A:2', 'or:536365:22633:1']);
    const [first, second, anonymous, cancellation] = events;
    assert.equal(first!.type, 'purchase');
    assert.equal(first!.userId, '17850');
    assert.equal(first!.quantity, 6);
    assert.equal(first!.price, 2.55);
    assert.equal(first!.orderId, '536365');
    assert.equal(first!.timestamp, Date.UTC(2010, 11, 1, 8, 26));
    assert.equal(second!.userId, '17850', 'a customer id written as 17850.0 is the same customer');
    assert.equal(anonymous!.userId, null);
    assert.equal(anonymous!.sessionId, 'invoice:536366');
    assert.equal(cancellation!.type, 'return');
    assert.equal(cancellation!.quantity, 1);
    assert.equal(cancellation!.orderId, '536379');

    const users = records.filter((r) => r.user).map((r) => r.user!);
    assert.deepEqual(users.map((u) => [u.id, u.attributes.country]), [['17850', 'United Kingdom'], ['14527', 'France']]);

    const items = records.filter((r) => r.item).map((r) => r.item!);
    const heart = items.find((i) => i.id === '85123A')!;
    assert.equal(heart.title, 'WHITE HANGING HEART T-LIGHT HOLDER');
    assert.deepEqual(heart.categories, ['Candles & Lighting']);
    // Seen at 2.55 twice and 2.95 once: the final record carries the modal price.
    const finalHeart = items.filter((i) => i.id === '85123A').at(-1)!;
    assert.equal(finalHeart.price, 2.55);

    const orders = records.filter((r) => r.order).map((r) => r.order!);
    const order = orders.find((o) => o.id === '536365')!;
    assert.equal(order.lines.length, 4, 'lines of an invoice found apart in the file land in one order');
    assert.equal(orders.find((o) => o.id === 'C536379')?.status, 'cancelled');
  });

  it('rejects non-product lines with a reason and the line number', async () => {
    const records = await collect(onlineRetailSource(tempFile('retail.csv', [HEADER, ...ROWS].join('\n'))));
    const rejected = records.filter((r) => r.rejected).map((r) => [r.line, r.rejected]);
    assert.deepEqual(rejected, [
      [6, RETAIL_REJECTIONS.nonProduct],
      [7, RETAIL_REJECTIONS.nonProduct],
      [8, RETAIL_REJECTIONS.zeroPrice],
      [9, RETAIL_REJECTIONS.negativeQuantity],
      [10, RETAIL_REJECTIONS.badDate],
      [11, RETAIL_REJECTIONS.columns],
    ]);
  });

  it('names the missing column when the header is not Online Retail', async () => {
    const source = onlineRetailSource(tempFile('other.csv', 'a,b,c\n1,2,3\n'));
    await assert.rejects(collect(source), (e: unknown) => isMagpieError(e, 'invalid_input') && /no invoiceno column/.test(e.message) && e.location?.line === 1);
  });

  it('says which file is missing', () => {
    assert.throws(() => onlineRetailSource('/no/such/file.csv'), (e: unknown) => isMagpieError(e, 'not_found') && /\/no\/such\/file.csv/.test(e.message));
  });
});

describe('retailCategory', () => {
  const cases: [string | null, string][] = [
    ['PAPER CHAIN KIT 50S CHRISTMAS', 'Christmas'],
    ['LUNCH BAG RED RETROSPOT', 'Bags'],
    ['JUMBO BAG PINK POLKADOT', 'Bags'],
    ['SET OF 3 CAKE TINS PANTRY DESIGN', 'Kitchen & Dining'],
    ['REGENCY CAKESTAND 3 TIER', 'Kitchen & Dining'],
    ['ASSORTED COLOUR BIRD ORNAMENT', 'Garden'],
    ['ALARM CLOCK BAKELIKE RED', 'Clocks'],
    ['SOMETHING UNHEARD OF', 'Other'],
    [null, 'Other'],
  ];
  for (const [title, category] of cases) {
    it(`${title} → ${category}`, () => assert.equal(retailCategory(title), category));
  }
});
