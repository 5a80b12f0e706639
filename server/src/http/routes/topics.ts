// /api/topics: MQTT topics with their contracts, observed schemas and wiring.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { TopicInfo } from '../../contract/topics.ts';
import type { TopicsService } from '../../contract/services.ts';
import { need, responses } from './support.ts';

export const topicRoutes: FastifyPluginAsync<{ service: TopicsService | undefined }> = async (app, { service }) => {
  app.get('/api/topics', { schema: { response: responses(z.array(TopicInfo)) } }, async () => need(service, 'The topic registry').list());
};
