// TopicContract: what an agent says it produces and consumes. Contracts come from LLM-written
// code (`agent.declareContract(...)`) and spawn blocks, so the normaliser accepts the names the
// original's kwargs accepted (schema, output_schema, topics, subscribe, ...) and coerces loose
// values; the zod schema below is the canonical shape everything else relies on.
import { z } from 'zod';
import { isPlainObject } from './dotted-path.ts';
import { ObservedSample } from './observed.ts';
import { coerceTopicList } from './topic-list.ts';

const SchemaShape = z.record(z.string(), z.unknown());

export const TopicContract = z.object({
  agent: z.string().min(1),
  description: z.string().default(''),
  /** Topic names or filters the agent publishes to. */
  publishes: z.array(z.string()).default([]),
  /** Topic filters the agent listens to. */
  subscribes: z.array(z.string()).default([]),
  /** Filters whose messages make the agent act (a subset of what it consumes, kept apart for the planner). */
  triggers: z.array(z.string()).default([]),
  /** Free-form field description of what it publishes, e.g. {temp: "number"}. */
  produces_schema: SchemaShape.optional(),
  consumes_schema: SchemaShape.optional(),
  /** Captured from real publishes, keyed by concrete topic. */
  observed_samples: z.record(z.string(), ObservedSample).default({}),
  /** False when the registry inferred the contract from publishes alone. */
  declared: z.boolean().default(true),
});
export type TopicContract = z.infer<typeof TopicContract>;

type Target = 'publishes' | 'subscribes' | 'triggers' | 'produces_schema' | 'consumes_schema' | 'description';

/** Accepted names -> canonical field. `produces`/`consumes` go by value: a list is topics, an object a schema. */
const ALIASES: Record<string, Target> = {
  publishes: 'publishes', publish: 'publishes', topics: 'publishes', outputs: 'publishes',
  output_topics: 'publishes', publish_topics: 'publishes',
  subscribes: 'subscribes', subscribe: 'subscribes', subscriptions: 'subscribes', inputs: 'subscribes',
  input_topics: 'subscribes', listens: 'subscribes', listen: 'subscribes', mqtt_topics: 'subscribes',
  triggers: 'triggers', trigger: 'triggers', triggered_by: 'triggers',
  produces_schema: 'produces_schema', schema: 'produces_schema', output_schema: 'produces_schema',
  publishes_schema: 'produces_schema',
  consumes_schema: 'consumes_schema', input_schema: 'consumes_schema', subscribes_schema: 'consumes_schema',
  description: 'description', desc: 'description',
};

export interface NormalizedContract {
  contract: TopicContract;
  warnings: string[];
}

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toLowerCase();
}

/** Turns whatever an agent passed into a canonical contract, with a warning for everything dropped. */
export function normalizeContract(agent: string, input: unknown): NormalizedContract {
  const warnings: string[] = [];
  const fields: Partial<Record<Target, unknown>> = {};
  const lists: Record<'publishes' | 'subscribes' | 'triggers', string[]> = { publishes: [], subscribes: [], triggers: [] };
  if (!isPlainObject(input)) {
    warnings.push(`contract must be an object, got ${input === null ? 'null' : typeof input}; declared nothing`);
    return { contract: TopicContract.parse({ agent }), warnings };
  }
  for (const [rawKey, value] of Object.entries(input)) {
    const key = snakeCase(rawKey);
    let target: Target | undefined = ALIASES[key];
    if (key === 'produces') target = isPlainObject(value) ? 'produces_schema' : 'publishes';
    if (key === 'consumes') target = isPlainObject(value) ? 'consumes_schema' : 'subscribes';
    if (target === undefined) {
      warnings.push(`ignored unknown contract field "${rawKey}"`);
      continue;
    }
    if (target === 'publishes' || target === 'subscribes' || target === 'triggers') {
      const { topics, dropped } = coerceTopicList(value);
      for (const d of dropped) warnings.push(`${rawKey}: dropped ${d}`);
      for (const t of topics) if (!lists[target].includes(t)) lists[target].push(t);
    } else if (target === 'description') {
      if (typeof value === 'string') fields.description = value;
      else warnings.push(`${rawKey}: expected a string`);
    } else if (isPlainObject(value)) {
      fields[target] = value;
    } else {
      warnings.push(`${rawKey}: expected an object like {"temp": "number"}, ignored`);
    }
  }
  const contract = TopicContract.parse({ agent, ...fields, ...lists });
  return { contract, warnings };
}

/** Every filter the agent consumes through: subscriptions and triggers. */
export function consumedFilters(contract: TopicContract): string[] {
  return [...new Set([...contract.subscribes, ...contract.triggers])];
}

/** Every topic the agent produces on: declared ones and those it was seen publishing to. */
export function producedTopics(contract: TopicContract): string[] {
  return [...new Set([...contract.publishes, ...Object.keys(contract.observed_samples)])];
}
