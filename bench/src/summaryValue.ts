// A value of the report's summary: one number, a few named numbers that belong on one row (kept as
// numbers in the JSON), or a sentence when a figure could not be measured.

export type SummaryValue = number | string | Readonly<Record<string, number>>;

/** The Markdown cell of a summary value: named numbers as `name value, name value`. */
export function summaryCell(value: SummaryValue): string {
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return Object.entries(value)
    .map(([name, figure]) => `${name} ${String(figure)}`)
    .join(', ');
}
