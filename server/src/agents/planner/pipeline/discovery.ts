// Entity discovery for the pipeline prompt: a compact area -> entity map (ids, names, states and
// device classes; not HA's whole state dump), the notify targets, camera snapshot and stream
// URLs, and live samples of the topics agents already publish.
import { formatSamplesForPrompt } from '../../../bus/topic-bus/report.ts';
import type { TopicRegistry } from '../../../bus/topic-bus/registry.ts';
import { isWebhookTarget } from '../../ha/service-calls.ts';
import type { HomeEntity, HomeSnapshot } from './home.ts';

/** Domains that say nothing a rule could use. */
const SKIP_DOMAINS = new Set(['zone', 'update', 'persistent_notification', 'tts', 'stt', 'wake_word', 'event', 'conversation']);
const MAX_ENTITIES = 400;

export interface Discovery {
  entityMap: string;
  notifyTargets: string[];
  /** Chat channel targets (`telegram:<id>`...), notified with notify.chat_channel. */
  chatTargets: string[];
  /** Saved webhooks (`webhook:slack`...), notified with notify.chat_channel too. */
  webhookTargets: string[];
  cameras: string;
  topicSamples: string;
}

export function discover(home: HomeSnapshot, topics?: TopicRegistry): Discovery {
  const targets = home.chatTargets ?? [];
  return {
    entityMap: entityMap(home),
    notifyTargets: notifyTargets(home),
    chatTargets: targets.filter((t) => !isWebhookTarget(t)),
    webhookTargets: targets.filter((t) => isWebhookTarget(t)),
    cameras: cameraUrls(home),
    topicSamples: topicSamples(topics),
  };
}

export function entityMap(home: HomeSnapshot): string {
  const byArea = new Map<string, HomeEntity[]>();
  let n = 0;
  for (const e of home.entities.values()) {
    if (SKIP_DOMAINS.has(e.domain) || n++ >= MAX_ENTITIES) continue;
    const key = e.area ?? '(no area)';
    byArea.set(key, [...(byArea.get(key) ?? []), e]);
  }
  const areas = [...byArea.keys()].sort((a, b) => (a === '(no area)' ? 1 : b === '(no area)' ? -1 : a.localeCompare(b)));
  return areas.map((a) => `${a}:\n${(byArea.get(a) ?? []).map((e) => `  ${e.entity_id} "${e.name}" = ${e.state}${e.unit ? ` ${e.unit}` : ''}${e.device_class ? ` [${e.device_class}]` : ''}`).join('\n')}`).join('\n');
}

export function notifyTargets(home: HomeSnapshot): string[] {
  return [...(home.services.get('notify') ?? [])].filter((s) => s !== 'send_message' && s !== 'persistent_notification').sort();
}

export function cameraUrls(home: HomeSnapshot): string {
  const cams = [...home.entities.values()].filter((e) => e.domain === 'camera');
  return cams
    .map((c) => `  ${c.entity_id} "${c.name}": snapshot with await agent.ha.cameraSnapshot('${c.entity_id}') (HA: /api/camera_proxy/${c.entity_id}); stream: /api/camera_proxy_stream/${c.entity_id}`)
    .join('\n');
}

/** Samples of non-HA topics (HA state changes are described by the entity map already). */
export function topicSamples(topics: TopicRegistry | undefined): string {
  if (!topics) return '';
  const names = topics.observedTopics().filter((t) => !/(^|\/)ha\/state_changes\//.test(t) && !/\/(heartbeat|logs|metrics|manifest)$/.test(t)).slice(-40);
  return formatSamplesForPrompt(topics, names);
}
