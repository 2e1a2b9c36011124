// Building blocks of the page's HTML. Every text that comes from data (category names, segment
// descriptions, error messages) goes through `escapeHtml`; the helpers escape what they are given,
// so sections pass plain text and never concatenate raw data into markup.

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One column of {@link dataTable}: a header and how to print a row's cell (plain text). */
export interface Column<R> {
  header: string;
  cell: (row: R) => string;
  /** Right-aligned with tabular figures. Default true for every column but the first. */
  numeric?: boolean;
  /** Running text (descriptions, lists): given room to wrap instead of squeezing the table. */
  wide?: boolean;
}

/** Options of {@link dataTable}. */
export interface TableOptions {
  /** Fold the table into a `<details>` element with the caption as its summary (long tables). */
  collapsed?: boolean;
  /** Short note under the table (plain text). */
  footnote?: string;
}

/**
 * A table with a caption, column headers and the first column as row headers. `name` becomes the
 * `data-table` attribute, which tests and scripts use to find the table.
 *
 * @example
 * dataTable('orders', 'Orders per month', [{ header: 'month', cell: (r) => r.period }, { header: 'orders', cell: (r) => int(r.orders) }], rows);
 */
export function dataTable<R>(name: string, caption: string, columns: readonly Column<R>[], rows: readonly R[], options: TableOptions = {}): string {
  const numeric = (i: number): boolean => columns[i]!.numeric ?? i > 0;
  const head = columns.map((c, i) => `<th scope="col"${numeric(i) ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((c, i) => {
        const text = escapeHtml(c.cell(row));
        if (i === 0) return `<th scope="row">${text}</th>`;
        const cls = numeric(i) ? ' class="num"' : c.wide ? ' class="text"' : '';
        return `<td${cls}>${text}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const table = `<div class="table-wrap"><table data-table="${escapeHtml(name)}">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>${options.footnote ? `\n<p class="footnote">${escapeHtml(options.footnote)}</p>` : ''}`;
  if (!options.collapsed) return table;
  return `<details class="table-details"><summary>${escapeHtml(caption)} (${rows.length} rows)</summary>\n${table}\n</details>`;
}

/** A container the page script draws a chart into, with a visible caption that also labels it for screen readers. */
export function chartBox(id: string, caption: string, height = 320): string {
  const safe = escapeHtml(id);
  return `<figure class="chart-figure"><div class="chart" id="${safe}" role="img" aria-labelledby="${safe}-caption" style="height:${Math.round(height)}px"></div><figcaption id="${safe}-caption">${escapeHtml(caption)}</figcaption></figure>`;
}

/** Charts side by side on wide screens, one above the other on narrow ones and in print. */
export function chartRow(...boxes: string[]): string {
  return `<div class="chart-row">${boxes.join('')}</div>`;
}

/** Key figures as a row of labelled values. */
export function keyFigures(figures: readonly { label: string; value: string }[]): string {
  const items = figures.map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`).join('');
  return `<dl class="key-figures">${items}</dl>`;
}

/** A paragraph of plain text. */
export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** A highlighted note (a caveat about the data, or why something is missing). */
export function note(text: string): string {
  return `<p class="note" role="note">${escapeHtml(text)}</p>`;
}
