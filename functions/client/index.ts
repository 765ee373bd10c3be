/** The runtime client of a deployed environment (loads the AWS SDK on first use). */
export { createClient } from './create-client.ts';
export type { AwsClientOptions } from './create-client.ts';
