// The `/bus` report: the registry as a person (or the planner's prompt) reads it. Kept close to
// the original's layout so its documentation stays recognisable.
import { consumedFilters, producedTopics } from './contract.ts';
import { formatFields } from './observed.ts';
import type { TopicRegistry } from './registry.ts';

export function formatBusReport(registry: TopicRegistry): string {
  const contracts = [...registry.contracts()].sort((a, b) => a.agent.localeCompare(b.agent));
  const published = new Set(contracts.flatMap(producedTopics));
  const subscribed = new Set(contracts.flatMap(consumedFilters));
  const wiring = registry.wiring();
  const lines = [
    'TopicBus — Reactive Pub/Sub Registry',
    `  agents with contracts : ${contracts.length}`,
    `  published topics      : ${published.size}`,
    `  subscribed topics     : ${subscribed.size}`,
    `  auto-wiring pairs     : ${wiring.length}`,
  ];
  for (const c of contracts) {
    lines.push('', `  [${c.agent}]${c.declared ? '' : ' (inferred from publishes)'}`);
    if (c.description) lines.push(`    about     : ${c.description}`);
    const publishes = producedTopics(c);
    if (publishes.length) lines.push(`    publishes : ${publishes.join(', ')}`);
    if (c.subscribes.length) lines.push(`    subscribes: ${c.subscribes.join(', ')}`);
    if (c.triggers.length) lines.push(`    triggers  : ${c.triggers.join(', ')}`);
    if (c.produces_schema) lines.push(`    schema    : ${JSON.stringify(c.produces_schema)}`);
    for (const [topic, sample] of Object.entries(c.observed_samples)) {
      lines.push(`    OBSERVED on '${topic}': fields=${formatFields(sample.fields)} (${sample.count} msg)`);
    }
  }
  lines.push('', wiring.length ? 'Auto-wiring opportunities:' : 'Auto-wiring opportunities: none');
  for (const p of wiring) {
    const filter = p.via === p.topic ? '' : ` (filter ${p.via})`;
    lines.push(`  ${p.producer} → ${p.consumer}  via ${p.topic}${filter}`);
  }
  return lines.join('\n');
}

/**
 * The live samples block for an LLM prompt: exact field names per topic, so generated consumer
 * code reads payload.temp and not payload.temperature.
 */
export function formatSamplesForPrompt(registry: TopicRegistry, topics: readonly string[]): string {
  const lines = ['LIVE TOPIC SAMPLES (use EXACTLY these field names in code):'];
  let found = 0;
  for (const topic of topics) {
    const entry = registry.sample(topic);
    if (!entry) continue;
    found++;
    const by = entry.publisher ? `  (published by ${entry.publisher})` : '';
    lines.push(`  Topic: ${topic}${by}`);
    lines.push(`    Fields: ${formatFields(entry.sample.fields)}`);
    lines.push(`    Example payload: ${JSON.stringify(entry.sample.example)}`);
    // Restored from disk (persistence.ts): the topic carried this before the restart, not since.
    if (entry.beforeRestart) lines.push(`    Seen before restart at ${new Date(entry.sample.last_seen).toISOString()} (${entry.sample.count} messages); nothing since`);
  }
  return found ? lines.join('\n') : '';
}
