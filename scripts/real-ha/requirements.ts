// Which Python packages the test configuration's integrations need. HA would pip-install them at
// its first start (slowly, and from the network at run time); provisioning installs them instead
// and HA runs with --skip-pip. The set is the closure over the `dependencies` and
// `after_dependencies` of each integration's manifest.json (the latter are not always set up, but
// their modules are imported: mqtt's config flow imports hassio's client), starting from what HA
// always loads, what the configuration names and the platforms the demo integration forwards to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  dependencies?: string[];
  after_dependencies?: string[];
  requirements?: string[];
}

/** Bumped when the closure rule changes, so cached venvs install what the new rule adds. */
export const CLOSURE_RULE = 2;

export interface RequirementSet {
  domains: string[];
  requirements: string[];
  /** Domains named but not shipped with HA (a typo in the configuration, or a custom one). */
  unknown: string[];
}

export function integrationRequirements(componentsDir: string, start: Iterable<string>): RequirementSet {
  const seen = new Set<string>();
  const requirements = new Set<string>();
  const unknown: string[] = [];
  const todo = [...start];
  while (todo.length > 0) {
    const domain = todo.pop() as string;
    if (seen.has(domain)) continue;
    seen.add(domain);
    const file = join(componentsDir, domain, 'manifest.json');
    if (!existsSync(file)) {
      unknown.push(domain);
      continue;
    }
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const r of manifest.requirements ?? []) requirements.add(r);
    todo.push(...(manifest.dependencies ?? []), ...(manifest.after_dependencies ?? []));
  }
  return { domains: [...seen].sort(), requirements: [...requirements].sort(), unknown: unknown.sort() };
}

/**
 * What HA sets up without being asked (bootstrap's core, logging, frontend, recorder and default
 * sets) and the platforms the demo integration forwards to, read from the pinned HA itself so a
 * new pin brings its own lists. Printed as JSON by the venv's Python.
 */
export const DEFAULT_DOMAINS_PY = [
  'import json',
  'from homeassistant import bootstrap as b',
  'from homeassistant.components import demo',
  'sets = [b.CORE_INTEGRATIONS, b.LOGGING_AND_HTTP_DEPS_INTEGRATIONS, b.FRONTEND_INTEGRATIONS, b.DEFAULT_INTEGRATIONS, {"recorder"}]',
  'platforms = [str(p) for p in (*demo.COMPONENTS_WITH_CONFIG_ENTRY_DEMO_PLATFORM, *demo.COMPONENTS_WITH_DEMO_PLATFORM)]',
  'print(json.dumps(sorted(set().union(*sets) | set(platforms))))',
].join('\n');
