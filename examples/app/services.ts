/**
 * The demo shop's "outside world", in memory: a log, a clock-aware sleep, a webhook receiver
 * that is flaky at first, a partner API that can be down, and an object store for exports.
 *
 * Jobs reach the world only through `services`, the way a real app injects its HTTP client,
 * database and logger. That keeps every handler side-effect free here, and lets the demo point
 * `sleep` at its virtual clock so a 40-second export takes 40 virtual seconds, not real ones.
 */

/** One line of application output (what a job would send to its logger). */
export type AppLog = (line: string) => void;

/** Waits `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits on the real clock (`setTimeout`), abortable. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** An HTTP error from a (simulated) upstream, with the status a retry decision looks at. */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${service} answered HTTP ${status}: ${detail}`);
    this.name = 'UpstreamError';
  }
}

/**
 * A customer's webhook endpoint that answers 503 to the first `failuresPerDelivery` posts of
 * each delivery id, then 200 — deterministic, so the demo always shows the same retries.
 */
export class WebhookReceiver {
  readonly received: { deliveryId: string; event: string }[] = [];
  private readonly attempts = new Map<string, number>();
  constructor(private readonly failuresPerDelivery = 2) {}

  async post(url: string, deliveryId: string, event: string): Promise<{ status: number }> {
    const n = (this.attempts.get(deliveryId) ?? 0) + 1;
    this.attempts.set(deliveryId, n);
    if (n <= this.failuresPerDelivery) throw new UpstreamError(new URL(url).host, 503, 'Service Unavailable');
    this.received.push({ deliveryId, event });
    return { status: 200 };
  }
}

/** A partner's product feed; while `down`, every fetch fails with 502. */
export class PartnerFeed {
  down = true;
  async fetchProducts(feed: string): Promise<{ sku: string; price: number }[]> {
    if (this.down) throw new UpstreamError('partner-feed.example', 502, `Bad Gateway while fetching ${feed}`);
    return [
      { sku: 'TEE-BLK-M', price: 19 },
      { sku: 'TEE-WHT-M', price: 19 },
      { sku: 'MUG-LOGO', price: 12 },
    ];
  }
}

/** Where exports land: file name -> number of rows written. */
export class ObjectStore {
  readonly files = new Map<string, number>();
  put(key: string, rows: number): void {
    this.files.set(key, rows);
  }
}

export interface Services {
  log: AppLog;
  sleep: Sleep;
  webhooks: WebhookReceiver;
  partnerFeed: PartnerFeed;
  storage: ObjectStore;
  /** Sessions in the (pretend) session table, swept by `cleanup_sessions`. */
  sessions: { active: number; expired: number };
}

function freshServices(): Services {
  return {
    log: (line) => console.log(line),
    sleep: realSleep,
    webhooks: new WebhookReceiver(),
    partnerFeed: new PartnerFeed(),
    storage: new ObjectStore(),
    sessions: { active: 1_240, expired: 0 },
  };
}

/** The services jobs use. Replace parts with {@link configureServices}. */
export const services: Services = freshServices();

/**
 * Swaps in a logger, a sleep on another clock, or resets the world to its initial state
 * (`reset: true`) — the demo does this before each run so runs are repeatable.
 *
 * @example
 * configureServices({ reset: true, log: (line) => out.push(line), sleep: virtualSleep(clock) });
 */
export function configureServices(overrides: Partial<Services> & { reset?: boolean }): void {
  const { reset, ...rest } = overrides;
  if (reset) Object.assign(services, freshServices());
  Object.assign(services, rest);
}
