import type { IsolateFeature } from './define.ts';

/** Lives in the isolate only: nothing to ask the host, gone when the agent restarts. */
export const state: IsolateFeature = {
  name: 'state',
  install: 'agent.state = {};',
  doc: {
    signature: 'agent.state',
    returns: 'a plain object',
    description: 'In-memory scratch space shared by the hooks of this agent (windows, counters, last values). Cleared on restart: use agent.persist for anything that must survive.',
    example: 'agent.state.count = (agent.state.count ?? 0) + 1;',
  },
};
