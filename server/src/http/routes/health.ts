import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../../version.ts';
import { HealthReport } from '../../contract/health.ts';
import type { HealthSources } from '../health.ts';
import { jsonSchema } from '../schema.ts';

export interface HealthRouteOptions {
  sources: HealthSources;
  startedAt: Date;
  now?: () => number;
}

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, { sources, startedAt, now = Date.now }) => {
  app.get('/api/health', { schema: { response: { 200: jsonSchema(HealthReport) } } }, () => {
    const broker = sources.broker();
    const ha = sources.ha();
    const report: HealthReport = {
      status: broker.state === 'connected' && (ha.state === 'connected' || ha.state === 'disabled') ? 'ok' : 'degraded',
      version: VERSION,
      uptime_s: Math.round((now() - startedAt.getTime()) / 100) / 10,
      started_at: startedAt.toISOString(),
      node: process.version,
      broker,
      ha,
      llm: sources.llm(),
      channels: sources.channels?.() ?? {},
    };
    return report;
  });
};
