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
 * Formats epoch ms as `2027-03-14 03:00 EDT` (or `03:00:05` with seconds) in `timeZone`
 * (default: the process's, `TZ`). One formatter for every CLI table, `plan` included.
 *
 * @example
 * wallClock('UTC')(Date.parse('2027-03-13T12:00:05Z'), true); // '2027-03-13 12:00:05 UTC'
 */
export function wallClock(timeZone?: string): (ms: number, withSeconds: boolean) => string {
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
  return (ms, withSeconds) => {
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(new Date(ms))) p[part.type] = part.value;
    const time = `${p['hour']}:${p['minute']}${withSeconds ? `:${p['second']}` : ''}`;
    return `${p['year']}-${p['month']}-${p['day']} ${time} ${p['timeZoneName']}`;
  };
}

/**
 * Formats instants as `2027-03-14 03:00:05 EDT` in `timeZone` (default: the process's, `TZ`);
 * `-` for null or undefined.
 *
 * @example
 * localTime('UTC')(new Date('2027-03-13T12:00:00Z')); // '2027-03-13 12:00:00 UTC'
 */
export function localTime(timeZone?: string): (at: Date | null | undefined) => string {
  const fmt = wallClock(timeZone);
  return (at) => (at === null || at === undefined ? '-' : fmt(at.getTime(), true));
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
