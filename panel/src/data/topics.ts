// MQTT topics with contracts, observed schemas and wiring (read-only; refreshed on demand).
import { apiGet } from './api.ts';
import type { TopicInfo } from './types.ts';

export function fetchTopics(signal?: AbortSignal): Promise<TopicInfo[]> {
  return apiGet<TopicInfo[]>('api/topics', signal);
}
