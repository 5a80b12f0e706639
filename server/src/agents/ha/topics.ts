// Spawn configs name system topics relative to the topic root, as the seeds' patterns do
// ("custom/triggers/door", "schedule/x/fired", "ha/state_changes/#"); the bus needs them absolute.
// A topic that already starts with the root is taken as it is, so both spellings work, and so is
// one within the owner's allowed device topics outside the root (mqtt_read_topics,
// bus/external-reads.ts): `zigbee2mqtt/door_sensor` is read where the device publishes it.
import { isExternalRead } from '../../bus/external-reads.ts';
import { isUnderRoot, underRoot } from '../../bus/topics.ts';

export function qualifyTopic(root: string, topic: string, external?: readonly string[]): string {
  return topic === root || isUnderRoot(root, topic) || isExternalRead(external, topic) ? topic : underRoot(root, topic);
}
