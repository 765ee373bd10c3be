/**
 * What the worker makes of one SQS record, decided before the core sees it (pure):
 * - a RunMessage (a run, or a scheduler tick turned into the tick's run message);
 * - a raw body the core dead-letters itself (malformed but small: its parse error says why);
 * - an undeliverable body the worker dead-letters with a shortened copy (oversized, or malformed
 *   and too big to store whole) — never a poison loop of failing dead-letter writes.
 */
import type { SQSRecord } from 'aws-lambda';
import { InvalidMessageError } from '../../shared/errors.ts';
import { parseDelivery } from '../../shared/messages.ts';
import type { RunMessage } from '../../shared/ports.ts';

/** SQS's largest message (1 MiB). */
export const MAX_BODY_BYTES = 1_048_576;
/** Malformed bodies above this are stored shortened (DynamoDB items hold at most 400 KB). */
export const MAX_STORED_BODY_BYTES = 65_536;
/** How much of an undeliverable body its dead-letter entry keeps. */
export const BODY_HEAD_CHARS = 1_024;

export type RecordDecision =
  | { readonly kind: 'message'; readonly message: RunMessage }
  | { readonly kind: 'raw'; readonly body: string }
  | {
      readonly kind: 'undeliverable';
      readonly jobName: string;
      readonly error: InvalidMessageError;
      readonly args: { readonly bodyHead: string; readonly bytes: number };
    };

/**
 * @example
 * decideRecord(record, Date.now()); // { kind: 'message', message: { v: 1, job: 'daily_report', … } }
 */
export function decideRecord(record: Pick<SQSRecord, 'body' | 'attributes'>, receivedAtMs: number): RecordDecision {
  const body = record.body ?? '';
  const bytes = Buffer.byteLength(body, 'utf8');
  const undeliverable = (message: string): RecordDecision => ({
    kind: 'undeliverable',
    jobName: guessJob(body),
    error: new InvalidMessageError(message),
    args: { bodyHead: body.slice(0, BODY_HEAD_CHARS), bytes },
  });
  if (bytes > MAX_BODY_BYTES) {
    return undeliverable(`message body is ${bytes} bytes, over the ${MAX_BODY_BYTES}-byte limit; its first ${BODY_HEAD_CHARS} characters are kept in args.bodyHead`);
  }
  const sent = Number(record.attributes?.SentTimestamp);
  try {
    return { kind: 'message', message: parseDelivery(body, { receivedAtMs, ...(Number.isFinite(sent) && sent > 0 ? { sentAtMs: sent } : {}) }) };
  } catch (error) {
    if (!(error instanceof InvalidMessageError)) throw error;
    if (bytes > MAX_STORED_BODY_BYTES) return undeliverable(`${error.message} (body of ${bytes} bytes; its first ${BODY_HEAD_CHARS} characters are kept in args.bodyHead)`);
    return { kind: 'raw', body };
  }
}

/** The `job` field of a body, when one can be read, for the dead-letter entry. */
function guessJob(body: string): string {
  const match = /"job"\s*:\s*"([A-Za-z][A-Za-z0-9_-]{0,59})"/.exec(body.slice(0, 4_096));
  return match?.[1] ?? '(unknown)';
}

/** How long the record waited in the queue before this delivery (ms), for `queue:pop`. */
export function waitTimeOf(record: Pick<SQSRecord, 'attributes'>, receivedAtMs: number): number | undefined {
  const first = Number(record.attributes?.ApproximateFirstReceiveTimestamp);
  const sent = Number(record.attributes?.SentTimestamp);
  if (!Number.isFinite(sent) || sent <= 0) return undefined;
  const taken = Number.isFinite(first) && first > 0 ? first : receivedAtMs;
  return Math.max(0, taken - sent);
}
