/**
 * Plain-object style: a weekly report, Monday 08:00 Berlin time (07:00 UTC in winter,
 * 06:00 UTC in summer — the schedule follows the zone, DST included).
 */
import { defineJob } from 'om-scheduler';
import { services } from '../services.ts';

export const weeklyReport = defineJob({
  name: 'weekly_report',
  cron: '0 8 * * MON',
  timezone: 'Europe/Berlin',
  queue: 'default',
  timeout: [5, 'minutes'],
  tags: ['reporting'],
  handler: async ({ scheduledAt, signal }) => {
    await services.sleep(4_000, signal); // pretend to crunch last week's orders
    const report = { week: scheduledAt?.toISOString().slice(0, 10), orders: 312, revenueEur: 18_734 };
    services.log(`weekly_report: ${report.orders} orders, €${report.revenueEur} — mailed to team@demo-shop.example`);
    return report;
  },
});
