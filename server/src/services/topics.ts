// TopicsService for the API: every topic the TopicBus knows, from declared contracts and from
// what was observed on the wire, with its publishers and subscribers (the panel draws the wiring
// graph from these lists).
import { matches as topicMatches } from '../bus/match.ts';
import type { TopicRegistry } from '../bus/topic-bus/registry.ts';
import type { TopicInfo } from '../contract/topics.ts';
import type { TopicsService } from '../contract/services.ts';

/** A JSON Schema for the fields the TopicBus observed (dotted paths flattened as property names). */
function observedSchema(fields: Record<string, string>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [path, kinds] of Object.entries(fields)) {
    // ValueKind 'binary' has no JSON Schema type: it reaches agents as a base64 string.
    const types = kinds.split('|').map((k) => (k === 'binary' ? 'string' : k));
    properties[path] = { type: types.length === 1 ? types[0] : [...new Set(types)] };
  }
  return { type: 'object', properties };
}

export function createTopicsService(registry: TopicRegistry): TopicsService {
  return {
    async list() {
      const contracts = registry.contracts();
      const topics = new Set<string>([...registry.observedTopics(), ...contracts.flatMap((c) => c.publishes)]);
      const infos: TopicInfo[] = [];
      for (const topic of [...topics].sort()) {
        const owner = contracts.find((c) => c.publishes.includes(topic) && c.produces_schema);
        const observed = registry.sample(topic)?.sample;
        infos.push({
          topic,
          description: contracts.find((c) => c.publishes.includes(topic))?.description || null,
          contract: owner?.produces_schema ?? null,
          observed_schema: observed ? observedSchema(observed.fields) : null,
          publishers: [...new Set(registry.producersOf(topic).map((p) => p.agent))],
          subscribers: [...new Set(contracts.filter((c) => c.subscribes.some((f) => topicMatches(f, topic))).map((c) => c.agent))],
          message_count: observed?.count ?? 0,
          last_seen: observed ? new Date(observed.last_seen).toISOString() : null,
        });
      }
      return infos;
    },
  };
}
