/**
 * Plain-text tables and local times for the human output of the environment commands.
 */

/**
 * Columns padded to their widest cell, two spaces apart, trailing spaces trimmed.
 *
 * @example
 * renderTable(['JOB', 'STATE'], [['daily_report', 'active']]);
 * // 'JOB           STATE\ndaily_report  active\n'
 */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    header.map((_, i) => (i === header.length - 1 ? (cells[i] ?? '') : (cells[i] ?? '').padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Formats instants as `2027-03-14 03:00:05 EDT` in `timeZone` (default: the process's, `TZ`);
 * `-` for null or undefined.
 *
 * @example
 * localTime('UTC')(new Date('2027-03-13T12:00:00Z')); // '2027-03-13 12:00:00 UTC'
 */
export function localTime(timeZone?: string): (at: Date | null | undefined) => string {
  const f = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
  return (at) => {
    if (at === null || at === undefined) return '-';
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(at)) p[part.type] = part.value;
    return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']} ${p['timeZoneName']}`;
  };
}

/** The time zone `localTime()` uses when none is given. */
export function processTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `TypeError: upstream 503`, cut to `max` characters with an ellipsis. */
export function describeError(error: { readonly type: string; readonly message: string } | null | undefined, max = 60): string {
  if (!error) return '';
  const text = `${error.type}: ${error.message}`.replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `1.2 s`, `350 ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
