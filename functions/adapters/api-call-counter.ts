/**
 * Counts AWS API calls per operation through an SDK middleware — how the bench checks that a
 * successful run costs 2 calls (3 with `unique`). Counts logical calls (one per `send`), not
 * HTTP retries.
 */

/** The slice of an SDK v3 client the counter attaches to. */
export interface MiddlewareClient {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void;
  };
}

/** `DynamoDB.PutItem` from `DynamoDBClient` + `PutItemCommand`. */
export function operationName(clientName: string | undefined, commandName: string | undefined): string {
  return `${(clientName ?? 'Unknown').replace(/Client$/, '')}.${(commandName ?? 'Unknown').replace(/Command$/, '')}`;
}

/**
 * @example
 * const counter = new ApiCallCounter();
 * counter.attach(dynamoClient);
 * await worker(event);
 * counter.snapshot(); // { 'DynamoDB.PutItem': 1, 'DynamoDB.TransactWriteItems': 1 }
 */
export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  /** Adds the counting middleware to `client` (idempotent per client). */
  attach<C extends MiddlewareClient>(client: C): C {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
        this.record(operationName(context.clientName, context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'omschedApiCallCounter', override: true },
    );
    return client;
  }

  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  /** Calls per operation since the last reset, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  reset(): void {
    this.counts.clear();
  }
}
