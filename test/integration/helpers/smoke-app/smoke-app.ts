/**
 * A throwaway CDK app for the harness's own smoke test: one SQS queue feeding one Lambda that
 * writes each message body to a DynamoDB table. It checks the emulator + synth + asset upload +
 * CloudFormation deploy + SQS→Lambda→DynamoDB path independently of the product's infra/.
 * Synthesized with `npx cdk synth --app "npx tsx test/integration/helpers/smoke-app/smoke-app.ts"`.
 */
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const app = new App();
const stack = new Stack(app, 'omsched-smoke', { env: { account: '000000000000', region: 'us-east-1' } });
const table = new Table(stack, 'Table', {
  partitionKey: { name: 'pk', type: AttributeType.STRING },
  billingMode: BillingMode.PAY_PER_REQUEST,
  removalPolicy: RemovalPolicy.DESTROY,
});
const queue = new Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(60) });
const fn = new NodejsFunction(stack, 'Worker', {
  entry: join(here, 'smoke-handler.ts'),
  runtime: Runtime.NODEJS_22_X,
  timeout: Duration.seconds(10),
  environment: { TABLE_NAME: table.tableName },
  logGroup: new LogGroup(stack, 'WorkerLogs', { retention: RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY }),
  bundling: { externalModules: [], minify: true, forceDockerBundling: false },
});
table.grantWriteData(fn);
fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
new CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
new CfnOutput(stack, 'TableName', { value: table.tableName });
app.synth();
