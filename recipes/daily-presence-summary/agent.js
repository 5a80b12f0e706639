// Daily presence summary: counts today's arrivals and departures (person.*), door openings and
// motion (binary_sensor.* by device class), and at PARAMS.hour sends the day's summary as a
// notification, phrased by the LLM when PARAMS.use_llm (a plain list if it is not available).
// Counters are persisted, so a restart in the middle of the day loses nothing.

function today() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}

function emptyDay() {
  return { day: today(), arrivals: 0, departures: 0, door_openings: 0, motion_events: 0, people: {} };
}

function counters(agent) {
  const c = agent.recall('counters', null);
  return c && c.day === today() ? c : emptyDay();
}

async function setup(agent) {
  agent.subscribe('ha/state_changes/person/+', async (change) => {
    const from = change.old_state ? change.old_state.state : null;
    const to = change.new_state ? change.new_state.state : null;
    if (from === to || !from || !to) return;
    const c = counters(agent);
    const who = (change.new_state.attributes && change.new_state.attributes.friendly_name) || change.entity_id;
    if (to === 'home') c.arrivals++;
    else if (from === 'home') c.departures++;
    c.people[who] = to;
    agent.persist('counters', c);
  });
  agent.subscribe('ha/state_changes/binary_sensor/+', async (change) => {
    const s = change.new_state;
    if (!s || s.state !== 'on' || (change.old_state && change.old_state.state === 'on')) return;
    const cls = s.attributes && s.attributes.device_class;
    const c = counters(agent);
    if (cls === 'door' || cls === 'garage_door' || cls === 'opening') c.door_openings++;
    else if (cls === 'motion' || cls === 'occupancy' || cls === 'presence') c.motion_events++;
    else return;
    agent.persist('counters', c);
  });
  agent.declareContract({ publishes: ['custom/presence/' + agent.name], produces_schema: { day: 'string', arrivals: 'number', departures: 'number', door_openings: 'number', motion_events: 'number', text: 'string' } });
}

function plainText(c) {
  const where = Object.keys(c.people).map((p) => p + ': ' + c.people[p]).join(', ');
  return 'Today: ' + c.arrivals + ' arrival(s), ' + c.departures + ' departure(s), ' + c.door_openings + ' door opening(s), ' + c.motion_events + ' motion event(s).' + (where ? ' Last seen: ' + where + '.' : '');
}

async function compose(agent, c) {
  const plain = plainText(c);
  if (!PARAMS.use_llm) return plain;
  try {
    const text = await agent.llm.chat('Write a friendly two-sentence evening summary of the home for its owner from these facts: ' + plain, { maxTokens: 200 });
    return text.trim() || plain;
  } catch (e) {
    await agent.log('LLM not available for the summary (' + e.message + '); sending the plain list', 'warn');
    return plain;
  }
}

async function send(agent) {
  const c = counters(agent);
  const text = await compose(agent, c);
  const options = { title: 'Home today' };
  if (PARAMS.notify_target) options.target = PARAMS.notify_target;
  await agent.notify(text, options);
  const summary = { day: c.day, arrivals: c.arrivals, departures: c.departures, door_openings: c.door_openings, motion_events: c.motion_events, text };
  await agent.publish('custom/presence/' + agent.name, summary);
  agent.persist('last_sent_day', c.day);
  return summary;
}

async function process(agent) {
  if (new Date().getHours() < PARAMS.hour) return;
  if (agent.recall('last_sent_day', null) === today()) return;
  await send(agent);
}

async function handleTask(agent, payload) {
  const op = payload && payload.op;
  if (op === 'send') return await send(agent);
  const c = counters(agent);
  return { day: c.day, arrivals: c.arrivals, departures: c.departures, door_openings: c.door_openings, motion_events: c.motion_events, text: plainText(c) };
}
