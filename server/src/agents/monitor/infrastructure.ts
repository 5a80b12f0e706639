// Infrastructure agents are watched and recovered like any other, but their troubles are not
// the user's to act on: they are logged, never shown as chat notices (seed §6). Protected actors
// count as infrastructure too.

export const INFRASTRUCTURE_AGENTS: ReadonlySet<string> = new Set([
  'main',
  'monitor',
  'installer',
  'catalog',
  'planner',
  'code-agent',
  'anomaly-detector',
  'home-assistant-agent',
  'home-assistant-state-bridge',
  'home-assistant-map-agent',
]);

export function isInfrastructure(name: string, isProtected = false): boolean {
  return isProtected || INFRASTRUCTURE_AGENTS.has(name);
}
