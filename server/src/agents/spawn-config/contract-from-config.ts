// What a spawn config tells the TopicBus before the agent has published anything: declared
// topics, the actuator's trigger topics, the schedule's fired topic. Registered at spawn time so
// the planner sees wiring at once; observed samples fill in the real fields later.
import { TopicContract } from '../../bus/topic-bus/contract.ts';
import type { SpawnConfig } from './config-schema.ts';

export function contractFromSpawnConfig(config: SpawnConfig): TopicContract {
  const publishes = [...config.publishes];
  const subscribes = [...config.subscribes];
  const triggers: string[] = [];
  switch (config.type) {
    case 'dynamic':
    case 'llm':
      break;
    case 'ha_actuator':
      triggers.push(...config.mqtt_topics);
      break;
    case 'scheduled':
      if (!publishes.includes(config.publish_topic)) publishes.push(config.publish_topic);
      break;
  }
  return TopicContract.parse({
    agent: config.name,
    description: config.description,
    publishes,
    subscribes,
    triggers,
    produces_schema: config.output_schema,
    consumes_schema: config.input_schema,
  });
}
