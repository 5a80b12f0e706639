// Describe what the camera sees: agent.ha.cameraSnapshot gives the picture (through Home
// Assistant, no token in the sandbox), agent.llm.chat with { images } sends it to the LLM's
// vision model. On request (handleTask), or when PARAMS.trigger_entity turns on.

async function describe(agent, camera, prompt) {
  const image = await agent.ha.cameraSnapshot(camera);
  const description = (await agent.llm.chat(prompt, { images: [image], maxTokens: 300 })).trim();
  const result = { camera, description, ts: Date.now() };
  agent.persist('last', result);
  await agent.publish('custom/camera/' + agent.name, result);
  return result;
}

async function setup(agent) {
  agent.declareContract({ publishes: ['custom/camera/' + agent.name], produces_schema: { camera: 'string', description: 'string', ts: 'number' } });
  if (!PARAMS.trigger_entity) return;
  const topic = 'ha/state_changes/' + PARAMS.trigger_entity.split('.')[0] + '/' + PARAMS.trigger_entity;
  agent.subscribe(topic, async (change) => {
    const on = change.new_state && change.new_state.state === 'on';
    const was = change.old_state && change.old_state.state === 'on';
    if (!on || was) return;
    try {
      const r = await describe(agent, PARAMS.camera, PARAMS.prompt);
      if (PARAMS.notify) await agent.notify(r.description, { title: 'At ' + PARAMS.camera.replace('camera.', '').replace(/_/g, ' ') });
    } catch (e) {
      await agent.log('could not describe ' + PARAMS.camera + ': ' + e.message, 'error');
    }
  });
}

async function handleTask(agent, payload) {
  const p = payload || {};
  if (p.op === 'last') return agent.recall('last', null);
  return await describe(agent, p.camera || PARAMS.camera, p.prompt || PARAMS.prompt);
}
