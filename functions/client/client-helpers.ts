/** AWS-specific helpers of the client; the ones shared with the local runtime live in shared/engine/client-helpers.ts. */
import { ConfigError, jobIssue } from '../../shared/errors.ts';
import { HOOK_NAMES } from '../../shared/engine/client-helpers.ts';

export { deadLetterStats, hookNames, serializable } from '../../shared/engine/client-helpers.ts';

/**
 * On AWS a job's code is what was deployed: a runtime insert or update cannot ship functions.
 * Throws naming the first function-valued field (`handler` or a hook).
 */
export function rejectCode(job: string, fields: Record<string, unknown>, deployed: string): void {
  for (const field of ['handler', ...HOOK_NAMES]) {
    if (typeof fields[field] === 'function') {
      throw new ConfigError(
        jobIssue(job, field, fields[field], `be left out on AWS, where only deployed code runs; name a deployed handler with \`handler: '<config job>'\` (deployed: ${deployed})`),
      );
    }
  }
}

/**
 * The account id in an SQS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`,
 * or an emulator's `http://localhost:4566/<account>/<name>`).
 */
export function accountOfQueueUrl(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  const account = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  if (!account) throw new Error(`cannot read the account id from queue URL ${url}`);
  return account;
}
