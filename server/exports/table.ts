// Reports as tables, and tables as CSV or Excel. A cell that a spreadsheet would run as a
// formula (= + - @ at the start) is written as text, so an export never carries one.
import writeXlsxFile from 'write-excel-file/node';

export type Cell = string | number | null;

export interface Table {
  name: string;
  headers: string[];
  rows: Cell[][];
}

const FORMULA = /^[=+\-@\t\r]/;
const asText = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

export function csvLine(cells: Cell[]): string {
  return cells
    .map((cell) => {
      if (cell === null) return '';
      if (typeof cell === 'number') return String(cell);
      const text = asText(cell);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

/** CSV lines, header first, each ending in CRLF (RFC 4180); a BOM so spreadsheets read UTF-8. */
export function* csv(table: Table): Generator<string> {
  yield `\ufeff${csvLine(table.headers)}\r\n`;
  for (const row of table.rows) yield `${csvLine(row)}\r\n`;
}

export async function xlsx(table: Table): Promise<Buffer> {
  const header = table.headers.map((value) => ({ value, fontWeight: 'bold' as const }));
  const body = table.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? asText(cell) : cell)));
  return writeXlsxFile([header, ...body], { sheet: table.name.slice(0, 31), stickyRowsCount: 1 }).toBuffer();
}
