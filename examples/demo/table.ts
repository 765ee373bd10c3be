/**
 * A minimal text table: header, a rule, left-aligned cells, padding computed on visible width
 * (so coloured cells line up too).
 */
import { stripAnsi } from './palette.ts';

/**
 * @example
 * renderTable(['job', 'runs'], [['heartbeat', '40']]);
 * // job        runs
 * // ─────────  ────
 * // heartbeat  40
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = header.map((h, i) => Math.max(stripAnsi(h).length, ...rows.map((r) => stripAnsi(r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - stripAnsi(c).length)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
