// Sensor anomaly detector: each new reading of the sensor is compared with the other readings of
// a sliding window (agent.window over its ha/state_changes topic); a z-score past the threshold
// is an anomaly: published on custom/anomalies/<agent>, raised as an alert, optionally notified.
// PARAMS comes from the catalog (entity_id, window_minutes, z_threshold, min_samples,
// cooldown_minutes, notify).

function stateTopic() {
  return 'ha/state_changes/' + PARAMS.entity_id.split('.')[0] + '/' + PARAMS.entity_id;
}

function stats(values) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / Math.max(1, n - 1);
  return { n, mean, stddev: Math.sqrt(variance) };
}

async function setup(agent) {
  agent.state.window = agent.window(stateTopic(), { seconds: PARAMS.window_minutes * 60, maxEvents: 10000 });
  // The window fills as a reading arrives, before its judgment runs: `judged` counts the readings
  // whose judgment has finished (published, alerted and notified, or let pass).
  agent.state.judged = 0;
  agent.subscribe(stateTopic(), async (change) => {
    try {
      await check(agent, change);
    } finally {
      agent.state.judged += 1;
    }
  });
  agent.declareContract({
    description: 'Anomalies of ' + PARAMS.entity_id,
    publishes: ['custom/anomalies/' + agent.name],
    subscribes: [stateTopic()],
    produces_schema: { entity_id: 'string', value: 'number', mean: 'number', stddev: 'number', z: 'number', ts: 'number' },
  });
  await agent.log('watching ' + PARAMS.entity_id + ' (z > ' + PARAMS.z_threshold + ' over ' + PARAMS.window_minutes + ' min)');
}

async function check(agent, change) {
  const value = Number(change && change.new_state ? change.new_state.state : NaN);
  if (!Number.isFinite(value)) return;
  // The window already holds this reading: judge it against the others.
  const others = agent.state.window.values('new_state.state');
  const at = others.lastIndexOf(value);
  if (at >= 0) others.splice(at, 1);
  if (others.length < PARAMS.min_samples) return;
  const s = stats(others);
  const z = s.stddev === 0 ? (value === s.mean ? 0 : Infinity) : Math.abs(value - s.mean) / s.stddev;
  if (z < PARAMS.z_threshold) return;
  const now = Date.now();
  const last = agent.recall('last_alert_at', 0);
  if (now - last < PARAMS.cooldown_minutes * 60 * 1000) return;
  const anomaly = {
    entity_id: PARAMS.entity_id,
    value,
    mean: Math.round(s.mean * 1000) / 1000,
    stddev: Math.round(s.stddev * 1000) / 1000,
    z: Number.isFinite(z) ? Math.round(z * 100) / 100 : 999,
    ts: now,
  };
  agent.persist('last_alert_at', now);
  agent.persist('last_anomaly', anomaly);
  agent.persist('anomalies', agent.recall('anomalies', 0) + 1);
  await agent.publish('custom/anomalies/' + agent.name, anomaly);
  const text = PARAMS.entity_id + ' reads ' + value + ', unusual: the last ' + s.n + ' readings averaged ' + anomaly.mean + ' (z = ' + anomaly.z + ')';
  await agent.alert(text, 'warning');
  if (PARAMS.notify) await agent.notify(text, { title: 'Unusual reading' });
}

async function handleTask(agent, payload) {
  const values = agent.state.window.values('new_state.state');
  const s = values.length ? stats(values) : { n: 0, mean: null, stddev: null };
  return {
    entity_id: PARAMS.entity_id,
    samples: s.n,
    judged: agent.state.judged,
    mean: s.mean,
    stddev: s.stddev,
    anomalies: agent.recall('anomalies', 0),
    last_anomaly: agent.recall('last_anomaly', null),
  };
}
