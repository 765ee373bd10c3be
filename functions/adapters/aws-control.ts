/**
 * The queue control plane on AWS (pause/resume/scale through the Lambda event source mapping
 * and reserved concurrency). Kept apart from `createAwsPorts` so the worker bundle, which never
 * controls queues, does not carry `@aws-sdk/client-lambda`.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientConfig, AwsPortsOptions } from './aws-ports.ts';
import { EventSourceControl, type QueueConsumerLookup } from './event-source-control.ts';
import type { QueueDirectory } from './queue-directory.ts';

/**
 * @example
 * const ports = createAwsPorts(opts);
 * const { control } = createQueueControl(opts, ports.directory);
 * await control.pause('imports');
 */
export function createQueueControl(
  opts: AwsClientConfig & Pick<AwsPortsOptions, 'names' | 'consumers' | 'counter'>,
  directory: QueueDirectory,
): { readonly control: EventSourceControl; readonly lambda: LambdaClient } {
  const lambda = new LambdaClient({
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  opts.counter?.attach(lambda);
  const names = opts.names;
  const consumers: QueueConsumerLookup =
    opts.consumers ??
    (async (queue) => {
      if (!names) return undefined;
      const { arn } = await directory.resolve(queue).catch(() => ({ arn: '' }));
      return arn ? { functionName: names.workerFunction(queue), queueArn: arn } : undefined;
    });
  return { control: new EventSourceControl({ client: lambda, consumers }), lambda };
}
