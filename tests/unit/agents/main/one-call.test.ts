// Main's one-call routing mode (issue 15) against the fake LLM's tool-call replies: the tools
// reach the same IntentHandlers as the classifier route; a provider without tools, or a failed
// call, still goes through the classifier exactly as before.
import { afterEach, describe, expect, it } from 'vitest';
import type { HaAction } from '../../../../server/src/ha/action.ts';
import type { IntentHandlers } from '../../../../server/src/agents/main/intents.ts';
import { CLASSIFIER_SYSTEM } from '../../../../server/src/agents/main/routing/classifier.ts';
import { reply, systemText, turnContext, type FakeRequest } from '../../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

interface Seen {
  actuate: string[];
  actuateCalls: HaAction[][];
  pipeline: { text: string; mode: string }[];
  ha: string[];
}

function intents(seen: Seen): IntentHandlers {
  return {
    actuate: async (text) => (seen.actuate.push(text), { text: 'Done by the resolver.', agent: 'one-off-actuator' }),
    actuateCalls: async (calls) => (seen.actuateCalls.push(calls), { text: 'Done: turn on Porch Lamp.', agent: 'one-off-actuator' }),
    homeContext: () => ({ map: 'Porch:\n  light.porch "Porch Lamp" off', areas: ['Porch'] }),
    ha: async (text) => (seen.ha.push(text), { text: 'You have 2 automations.', agent: 'home-assistant-agent' }),
    pipeline: async (text, _ctx, o) => (seen.pipeline.push({ text, mode: o.mode }), { text: 'Here is the rule I propose.', agent: 'planner' }),
    followUps: [],
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function tools(r: FakeRequest): string[] {
  return ((r.body.tools ?? []) as { name: string }[]).map((t) => t.name);
}

async function make(provider?: 'ollama') {
  const seen: Seen = { actuate: [], actuateCalls: [], pipeline: [], ha: [] };
  h = await harness({ deps: { routing: 'tools', intents: intents(seen) }, ...(provider ? { llmConfig: { provider } } : {}) });
  return { h, seen };
}

describe("main's one-call routing", () => {
  it('a device command: one call with the home map, control_devices runs the resolved calls, no classifier', async () => {
    const { h, seen } = await make();
    h.script.chat = () => reply.tool('control_devices', { calls: [{ domain: 'light', service: 'turn_on', entity_id: 'light.porch' }] });
    const r = await h.turn('turn on the porch lamp');
    expect(h.fake.requests).toHaveLength(1);
    expect(h.calls('classifier')).toHaveLength(0);
    // The map is what the model receives for this turn: in front of the user's words, not in the
    // system prompt (which stays the same from turn to turn, so the provider can cache it).
    expect(turnContext(h.fake.requests[0])).toContain('light.porch "Porch Lamp" off');
    expect(systemText(h.fake.requests[0])).not.toContain('Porch Lamp');
    expect(seen.actuateCalls).toEqual([[{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.porch'] }, service_data: {} }]]);
    expect(seen.actuate).toEqual([]);
    expect(r).toMatchObject({ reply: 'Done: turn on Porch Lamp.', route: 'actuate', agent: 'one-off-actuator' });
  });

  it('a malformed call runs nothing and says why', async () => {
    const { h, seen } = await make();
    h.script.chat = () => reply.tool('control_devices', { calls: [{ service: 'turn_on' }] });
    const r = await h.turn('turn on the porch lamp');
    expect(seen.actuateCalls).toEqual([]);
    expect(r.reply).toMatch(/^Nothing was done: /);
  });

  it('a rule goes to the planner in pipeline mode; a question about automations to the HA agent', async () => {
    const { h, seen } = await make();
    h.script.chat = (text) => (text.startsWith('when') ? reply.tool('propose_rule', { request: text }) : reply.tool('ask_home_assistant', { request: text }));
    const rule = await h.turn('when the door opens, turn on the porch lamp');
    expect(rule).toMatchObject({ reply: 'Here is the rule I propose.', route: 'pipeline', agent: 'planner' });
    expect(seen.pipeline).toEqual([{ text: 'when the door opens, turn on the porch lamp', mode: 'pipeline' }]);
    const q = await h.turn('which automations do I have?');
    expect(q).toMatchObject({ reply: 'You have 2 automations.', route: 'ha' });
    expect(h.fake.requests).toHaveLength(2);
  });

  it('chit-chat and state questions are answered in the one call', async () => {
    const { h } = await make();
    h.script.chat = () => 'The porch lamp is off.';
    const r = await h.turn('is the porch lamp on?');
    expect(r).toMatchObject({ reply: 'The porch lamp is off.', route: 'other', agent: 'main' });
    expect(h.fake.requests).toHaveLength(1);
    expect(tools(h.fake.requests[0])).toContain('control_devices');
  });

  it('a failed one-call answer is routed the classic way: classifier, then the handler', async () => {
    const { h, seen } = await make();
    let first = true;
    h.script.chat = () => {
      if (!first) return 'unused';
      first = false;
      return reply.error(400, { message: 'tools rejected' });
    };
    h.script.classify = () => 'ACTUATE';
    const r = await h.turn('turn on the porch lamp');
    expect(h.calls('classifier')).toHaveLength(1);
    expect(seen.actuate).toEqual(['turn on the porch lamp']);
    expect(r).toMatchObject({ reply: 'Done by the resolver.', route: 'actuate' });
  });

  it('a provider without tools (Ollama) keeps the classifier path exactly', async () => {
    const { h, seen } = await make('ollama');
    h.script.chat = (_text, req) => (JSON.stringify(req.body).includes(CLASSIFIER_SYSTEM.slice(0, 40)) ? 'ACTUATE' : 'unused');
    const r = await h.turn('turn on the porch lamp');
    expect(h.fake.requests).toHaveLength(1);
    expect(tools(h.fake.requests[0])).toEqual([]);
    expect(seen.actuate).toEqual(['turn on the porch lamp']);
    expect(r).toMatchObject({ reply: 'Done by the resolver.', route: 'actuate' });
  });
});
