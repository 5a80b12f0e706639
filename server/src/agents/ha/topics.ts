// Spawn configs name system topics relative to the topic root, as the seeds' patterns do
// ("custom/triggers/door", "schedule/x/fired", "ha/state_changes/#"); the bus needs them absolute.
// A topic that already starts with the root is taken as it is, so both spellings work.
import { isUnderRoot, underRoot } from '../../bus/topics.ts';

export function qualifyTopic(root: string, topic: string): string {
  return topic === root || isUnderRoot(root, topic) ? topic : underRoot(root, topic);
}
