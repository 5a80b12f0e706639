// Spawn configs name system topics relative to the topic root, as the seeds' patterns do
// ("custom/triggers/door", "schedule/x/fired", "ha/state_changes/#"); the bus needs them absolute.
// A topic that already starts with the root is taken as it is, so both spellings work.

export function qualifyTopic(root: string, topic: string): string {
  return topic === root || topic.startsWith(`${root}/`) ? topic : `${root}/${topic}`;
}
