/**
 * An on-demand import that fails while the partner's API is down. Two retries 20 s apart do not
 * outlast the outage, so the run lands in the dead-letter store; once the partner is back,
 * `deadLetter.retry(id)` runs it again with the same args — and it succeeds.
 */
import { defineJob } from 'om-scheduler';
import { services } from '../services.ts';

export interface PartnerFeedArgs {
  readonly feed: string;
}

export const importPartnerFeed = defineJob<PartnerFeedArgs>({
  name: 'import_partner_feed',
  queue: 'default',
  maxRetries: 2,
  retryDelay: [20, 'seconds'],
  retryBackoff: 'fixed',
  retryJitter: 0,
  handler: async ({ args }) => {
    const products = await services.partnerFeed.fetchProducts(args.feed);
    services.log(`import_partner_feed: imported ${products.length} products from ${args.feed}`);
    return { imported: products.length };
  },
});
