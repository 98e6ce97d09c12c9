/**
 * CSV for Excel: UTF-8 with a BOM (so Chinese opens correctly), CRLF lines, quoted cells, and any cell
 * starting with =, +, -, @, tab or carriage return prefixed with ' so it is never run as a formula.
 */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
