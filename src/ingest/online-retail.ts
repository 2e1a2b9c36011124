import { MagpieError } from '../core/errors.js';
import { toEpochMillis } from '../core/schemas.js';
import { makeEvent, makeItem, makeUser, type Item, type Order } from '../core/types.js';
import { csvRowBatches, headerIndex } from './csv.js';
import { retailCategory } from './retail-categories.js';
import { openTextInput } from './text-input.js';
import type { Source, SourceRecord } from './types.js';

// Stock codes that are not products: postage, fees, discounts, manual adjustments, vouchers.
const NON_PRODUCT_CODES = new Set(['POST', 'DOT', 'M', 'C2', 'D', 'S', 'B', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS', 'ADJUST', 'ADJUST2', 'TEST001', 'TEST002']);

/** Rejection reasons of the Online Retail importer (rejections are counted by these). */
export const RETAIL_REJECTIONS = {
  nonProduct: 'non-product line (postage, fee, discount, manual adjustment or voucher)',
  negativePrice: 'negative unit price (bad-debt adjustment)',
  zeroPrice: 'zero unit price (stock adjustment or free sample, not a sale)',
  negativeQuantity: 'negative quantity outside a cancellation invoice (stock adjustment)',
  zeroQuantity: 'zero quantity',
  missing: 'missing required field',
  badNumber: 'not a number',
  badDate: 'InvoiceDate is not a date',
  columns: 'wrong number of columns',
} as const;

// Header names of the UCI file and of its "Online Retail II" sibling.
const COLUMNS = {
  invoice: ['invoiceno', 'invoice'],
  stockCode: ['stockcode'],
  description: ['description'],
  quantity: ['quantity'],
  date: ['invoicedate'],
  price: ['unitprice', 'price'],
  customer: ['customerid'],
  country: ['country'],
} as const;

type Column = keyof typeof COLUMNS;

function locateColumns(header: string[], path: string): Record<Column, number> {
  const index = headerIndex(header);
  const out = {} as Record<Column, number>;
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const found = names.map((n) => index.get(n)).find((i) => i !== undefined);
    if (found === undefined) {
      throw new MagpieError('invalid_input', `the Online Retail file has no ${names[0]} column`, {
        location: { file: path, line: 1 },
        hint: 'the header must name InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country (or use events-csv with --map)',
      });
    }
    out[column] = found;
  }
  return out;
}

/** "17850.0" → "17850"; empty → null. Exports from spreadsheets often turn ids into floats. */
function customerId(raw: string | undefined): string | null {
  const s = raw?.trim() ?? '';
  if (s === '' || s === 'NA') return null;
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/**
 * Reads the UCI Online Retail CSV (gzip accepted). Every invoice line becomes a purchase event
 * (cancellations, invoices starting with "C", become return events); lines without a customer
 * are kept as anonymous events whose session is the invoice; non-product lines are rejected with
 * a reason. Invoices become orders; products become items with a category derived from the title.
 * Event ids are `or:<invoice>:<stock code>:<n-th occurrence>`, stable across re-imports.
 */
export function onlineRetailSource(path: string): Source {
  const input = openTextInput(path);
  // Modal unit price per product: prices vary by quantity band, the most frequent is the list price.
  const prices = new Map<string, Map<number, number>>();
  const items = new Map<string, Item>();
  // Orders are written at the end: an invoice's lines are not always contiguous in the file.
  const orders = new Map<string, Order>();
  return {
    format: 'online-retail',
    path,
    totalBytes: input.totalBytes,
    bytesRead: input.bytesRead,
    notes: [],
    async *records(): AsyncIterable<SourceRecord[]> {
      let col: Record<Column, number> | null = null;
      let width = 0;
      let line = 0;
      const occurrences = new Map<string, number>();
      const seenUsers = new Set<string>();
      let lastDate = '';
      let lastTimestamp: number | null = null;
      for await (const rows of csvRowBatches(input)) {
        const out: SourceRecord[] = [];
        for (const row of rows) {
          const record = parseRow(row);
          if (record) out.push(record);
        }
        yield out;
      }
      function parseRow(row: string[]): SourceRecord | null {
        line++;
        if (col === null) {
          col = locateColumns(row, path);
          width = row.length;
          return null;
        }
        if (row.length !== width) {
          return { line, rejected: RETAIL_REJECTIONS.columns, detail: `${row.length} instead of ${width}` };
        }
        const invoice = row[col.invoice]!.trim();
        const stockCode = row[col.stockCode]!.trim();
        const rawDate = row[col.date]!;
        if (invoice === '' || stockCode === '' || rawDate.trim() === '') {
          return { line, rejected: RETAIL_REJECTIONS.missing, detail: invoice === '' ? 'InvoiceNo' : stockCode === '' ? 'StockCode' : 'InvoiceDate' };
        }
        if (NON_PRODUCT_CODES.has(stockCode.toUpperCase()) || stockCode.startsWith('gift_')) {
          return { line, rejected: RETAIL_REJECTIONS.nonProduct, detail: `StockCode ${stockCode}` };
        }
        const quantity = Number(row[col.quantity]);
        const price = Number(row[col.price]);
        if (!Number.isFinite(quantity) || !Number.isFinite(price) || row[col.quantity]!.trim() === '' || row[col.price]!.trim() === '') {
          return { line, rejected: RETAIL_REJECTIONS.badNumber, detail: `Quantity "${row[col.quantity]}", UnitPrice "${row[col.price]}"` };
        }
        if (price < 0) {
          return { line, rejected: RETAIL_REJECTIONS.negativePrice, detail: `UnitPrice ${price}` };
        }
        if (price === 0) {
          return { line, rejected: RETAIL_REJECTIONS.zeroPrice, detail: `StockCode ${stockCode}` };
        }
        const cancellation = invoice.startsWith('C') || invoice.startsWith('c');
        if (quantity === 0) {
          return { line, rejected: RETAIL_REJECTIONS.zeroQuantity };
        }
        if (quantity < 0 && !cancellation) {
          return { line, rejected: RETAIL_REJECTIONS.negativeQuantity, detail: `Quantity ${quantity} on invoice ${invoice}` };
        }
        // Lines of one invoice share their date: parse each distinct string once.
        const timestamp = rawDate === lastDate ? lastTimestamp : toEpochMillis(rawDate);
        lastDate = rawDate;
        lastTimestamp = timestamp;
        if (timestamp === null) {
          return { line, rejected: RETAIL_REJECTIONS.badDate, detail: `"${rawDate}"` };
        }

        const record: SourceRecord = { line };
        const userId = customerId(row[col.customer]);
        if (userId !== null && !seenUsers.has(userId)) {
          seenUsers.add(userId);
          record.user = makeUser(userId, { attributes: { country: row[col.country]!.trim() }, createdAt: timestamp });
        }
        const title = row[col.description]!.trim() || null;
        let item = items.get(stockCode);
        if (!item) {
          item = makeItem(stockCode, { title, categories: [retailCategory(title)], price, currency: 'GBP', createdAt: timestamp });
          items.set(stockCode, item);
          record.item = item;
        } else if (item.title === null && title !== null) {
          item.title = title;
          item.categories = [retailCategory(title)];
          record.item = item;
        }
        let counts = prices.get(stockCode);
        if (!counts) prices.set(stockCode, (counts = new Map()));
        counts.set(price, (counts.get(price) ?? 0) + 1);

        const key = `${invoice}\u0001${stockCode}`;
        const n = (occurrences.get(key) ?? 0) + 1;
        occurrences.set(key, n);
        const orderId = cancellation ? invoice.slice(1) : invoice;
        record.event = makeEvent({
          id: `or:${invoice}:${stockCode}:${n}`,
          type: cancellation ? 'return' : 'purchase',
          timestamp,
          userId,
          sessionId: userId === null ? `invoice:${invoice}` : null,
          itemId: stockCode,
          quantity: Math.abs(quantity),
          price,
          orderId,
        });

        let order = orders.get(invoice);
        if (!order) {
          order = { id: invoice, userId, status: cancellation ? 'cancelled' : 'delivered', lines: [], currency: 'GBP', createdAt: timestamp, updatedAt: timestamp };
          orders.set(invoice, order);
        }
        order.lines.push({ itemId: stockCode, quantity: Math.abs(quantity), price });
        order.updatedAt = Math.max(order.updatedAt, timestamp);
        return record;
      }
      if (col === null) {
        throw new MagpieError('invalid_input', `the Online Retail file ${path} is empty`, { hint: 'give the UCI Online Retail CSV (gzip accepted)' });
      }
    },
    *finalRecords(): Iterable<SourceRecord> {
      for (const order of orders.values()) yield { line: 0, order };
      for (const [code, counts] of prices) {
        let best = 0;
        let bestCount = -1;
        for (const [price, count] of counts) if (count > bestCount || (count === bestCount && price < best)) [best, bestCount] = [price, count];
        const item = items.get(code)!;
        if (item.price !== best) yield { line: 0, item: { ...item, price: best } };
      }
    },
  };
}
