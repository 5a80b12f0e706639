// With no LLM provider, the classifier cannot run. Requests that Home Assistant's own
// conversation agent understands (commands and state questions, HA's built-in intents) are still
// worth passing on; everything else gets a short answer on how to configure a provider.

const HA_LIKE = [
  /^(?:please\s+)?(?:turn|switch)\s+(?:on|off)\b/i,
  /^(?:please\s+)?(?:turn|switch)\s+.+\s+(?:on|off)$/i,
  /^(?:please\s+)?(?:open|close|lock|unlock|toggle|dim|brighten|set|start|stop|pause)\s+\S/i,
  /^(?:what(?:'s| is| are)|how (?:hot|cold|warm|bright)|is the|are the)\s+\S/i,
];

export function looksLikeHaRequest(text: string): boolean {
  const t = text.trim().replace(/[.!?]+$/, '');
  return HA_LIKE.some((re) => re.test(t));
}

export const NO_LLM_ANSWER =
  'No LLM provider is configured, so I can only run commands (/help), talk to agents directly (@agent-name message) ' +
  "and pass device commands such as \"turn on the kitchen light\" to Home Assistant's own assistant. " +
  'To chat, plan rules and write agents, set llm_provider and its API key in the add-on options ' +
  '(or LLM_PROVIDER and e.g. ANTHROPIC_API_KEY, or an Ollama host) and restart.';
