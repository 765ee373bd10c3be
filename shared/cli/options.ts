/**
 * Parsers for flag values shared by commands, with messages in the config-error style.
 */
import { timeZoneProblem } from '../schedule/time-zone.ts';
import { flagIssue } from './errors.ts';

// A calendar date, or a date-time with seconds optional, fraction optional, and a REQUIRED zone:
// without one, "12:00" would silently mean the machine's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `--from`-style instants: `2027-03-13T12:00:00Z`, `2027-03-13T12:00+01:00`, or `2027-03-13`
 * (midnight UTC). Returns epoch ms; throws `UsageError` otherwise.
 *
 * @example
 * parseInstantFlag('--from', '2027-03-13T12:00:00Z'); // 1805284800000
 */
export function parseInstantFlag(flag: string, value: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms) || !sameCalendarDate(value, ms)) {
    throw flagIssue(flag, value, 'be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13');
  }
  return ms;
}

/** Rejects dates Date.parse rolls over (`2027-02-30`). */
function sameCalendarDate(value: string, ms: number): boolean {
  if (value.length !== 10) return true;
  return new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * Integer flags within bounds, e.g. `--count`.
 *
 * @example
 * parseIntegerFlag('--count', '5', 1, 1000); // 5
 */
export function parseIntegerFlag(flag: string, value: string, min: number, max: number): number {
  const n = /^[+]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw flagIssue(flag, value, `be an integer from ${min} to ${max}`);
  return n;
}

/**
 * Time-zone flags such as `--tz`: an IANA name. Returns it; throws `UsageError` otherwise.
 *
 * @example
 * parseTimeZoneFlag('--tz', 'Europe/Paris'); // 'Europe/Paris'
 */
export function parseTimeZoneFlag(flag: string, value: string): string {
  const problem = timeZoneProblem(value);
  if (problem !== undefined) throw flagIssue(flag, value, problem);
  return value;
}
