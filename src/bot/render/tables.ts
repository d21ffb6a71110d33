/**
 * Wide tables do not belong in a chat message: a phone wraps them and Telegram's 4,096-character limit cuts them.
 * The services format tables as fixed-width text (a header and rows padded to the same width); this finds such
 * tables in summary lines and turns each into a CSV file, leaving a one-line pointer in the text.
 */
export interface ExtractedTable {
  /** Line index of the table header in the original lines. */
  at: number;
  header: string[];
  rows: string[][];
  csv: Buffer;
}

const MIN_ROWS = 3;

/** Runs of ≥ 1 header + MIN_ROWS rows, indented and all of one width: the shape of a fixed-width table. */
export function findTables(lines: readonly string[]): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < lines.length) {
    let end = start + 1;
    const width = lines[start].length;
    const indented = (line: string) => /^\s+\S/.test(line);
    if (indented(lines[start])) while (end < lines.length && indented(lines[end]) && lines[end].length === width) end += 1;
    if (end - start >= MIN_ROWS + 1) {
      found.push({ start, end });
      start = end;
    } else start += 1;
  }
  return found;
}

/** Column gaps are the positions blank in every line (header included), so "+1.20 %" stays one cell. */
export function splitColumns(lines: readonly string[]): string[][] {
  const width = lines.reduce((w, l) => Math.max(w, l.length), 0);
  const blank: boolean[] = [];
  for (let i = 0; i < width; i += 1) blank.push(lines.every((line) => (line[i] ?? ' ') === ' '));
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < width; i += 1) {
    if (blank[i]) continue;
    const from = i;
    while (i < width && !blank[i]) i += 1;
    spans.push([from, i]);
  }
  return lines.map((line) => spans.map(([from, to]) => line.slice(from, to).trim()));
}

export function toCsv(rows: readonly string[][]): Buffer {
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return Buffer.from(rows.map((row) => row.map(cell).join(',')).join('\n') + '\n', 'utf8');
}

/** The lines with every table replaced by `pointer(table)`, and the tables themselves. */
export function extractTables(lines: readonly string[], pointer: (rows: number, index: number) => string): { lines: string[]; tables: ExtractedTable[] } {
  const spans = findTables(lines);
  const tables: ExtractedTable[] = [];
  const out: string[] = [];
  let cursor = 0;
  spans.forEach(({ start, end }, index) => {
    out.push(...lines.slice(cursor, start));
    const [header, ...rows] = splitColumns(lines.slice(start, end));
    tables.push({ at: start, header, rows, csv: toCsv([header, ...rows]) });
    out.push(pointer(rows.length, index));
    cursor = end;
  });
  out.push(...lines.slice(cursor));
  return { lines: out, tables };
}
