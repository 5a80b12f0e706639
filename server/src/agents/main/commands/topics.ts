// /topics and /bus: the TopicBus registry as people read it: which topics exist, who publishes
// and who listens, and the full report with observed payload fields and wiring opportunities.
import { consumedFilters, producedTopics } from '../../../bus/topic-bus/contract.ts';
import { formatBusReport } from '../../../bus/topic-bus/report.ts';
import { topicMatches } from '../../../bus/topic-bus/topic-filter.ts';
import { usage, type SlashCommand } from './registry.ts';

const NO_REGISTRY = 'The topic registry is not running, so no topics are known yet.';

export const topicsCommand: SlashCommand = {
  name: 'topics',
  usage: ['/topics [filter]'],
  summary: 'list known MQTT topics with their publishers and subscribers',
  readOnly: () => true,
  async run(ctx) {
    if (ctx.args.length > 1) usage('Give at most one filter word.');
    const registry = ctx.deps.topics;
    if (!registry) return NO_REGISTRY;
    const contracts = registry.contracts();
    const topics = new Set<string>([...registry.observedTopics(), ...contracts.flatMap(producedTopics)]);
    const needle = ctx.args[0]?.toLowerCase();
    const rows = [...topics]
      .filter((t) => !needle || t.toLowerCase().includes(needle))
      .sort()
      .map((topic) => {
        const publishers = new Set(contracts.filter((c) => producedTopics(c).includes(topic)).map((c) => c.agent));
        const seenBy = registry.sample(topic)?.publisher;
        if (seenBy) publishers.add(seenBy);
        const subscribers = contracts.filter((c) => consumedFilters(c).some((f) => topicMatches(f, topic) || f === topic)).map((c) => c.agent);
        const count = registry.sample(topic)?.sample.count;
        return `  ${topic}${count ? ` (${count} msg)` : ''}\n      from: ${[...publishers].join(', ') || '?'}  to: ${subscribers.join(', ') || 'nobody'}`;
      });
    if (rows.length === 0) return needle ? `No topic matches "${ctx.args[0]}".` : 'No topics seen yet.';
    return [`Topics${needle ? ` matching "${ctx.args[0]}"` : ''} (${rows.length}):`, ...rows].join('\n');
  },
};

export const busCommand: SlashCommand = {
  name: 'bus',
  usage: ['/bus'],
  summary: 'the TopicBus report: contracts, observed fields, auto-wiring',
  readOnly: () => true,
  async run(ctx) {
    if (ctx.args.length > 0) usage();
    const registry = ctx.deps.topics;
    return registry ? formatBusReport(registry) : NO_REGISTRY;
  },
};
