// Reminders: handleTask({ text, in | at }) stores a reminder; process() (every poll_interval)
// sends those that are due as notifications. Stored with agent.persist, so they survive restarts:
// one that fell due while Wactorz was down is sent at the first process() after the restart.

const UNITS = { s: 1, sec: 1, m: 60, min: 60, h: 3600, hour: 3600, d: 86400, day: 86400 };

function parseIn(value) {
  if (typeof value === 'number') return value * 1000;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  if (!m) throw new Error('"in" must be seconds or like "20m", "2h", "1d"');
  const unit = UNITS[(m[2] || 's').toLowerCase().replace(/s$/, '')] ?? UNITS[(m[2] || 's').toLowerCase()];
  if (!unit) throw new Error('unknown unit "' + m[2] + '" (use s, m, h or d)');
  return Number(m[1]) * unit * 1000;
}

function parseAt(value) {
  if (typeof value === 'number') return value;
  const hm = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(String(value));
  if (hm) {
    const d = new Date();
    d.setHours(Number(hm[1]), Number(hm[2]), 0, 0);
    if (d.getTime() <= Date.now()) d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  const t = Date.parse(String(value));
  if (!Number.isFinite(t)) throw new Error('"at" must be a date-time like 2026-05-01T18:30, a time like 18:30, or epoch milliseconds');
  return t;
}

function pending(agent) {
  return agent.recall('reminders', []);
}

async function setup(agent) {
  agent.declareContract({ publishes: ['custom/reminders/' + agent.name], produces_schema: { id: 'number', text: 'string', at: 'number' } });
}

async function handleTask(agent, payload) {
  const p = typeof payload === 'string' ? { text: payload } : (payload || {});
  const op = p.op || 'add';
  const list = pending(agent);
  if (op === 'list') return list;
  if (op === 'cancel') {
    const left = list.filter((r) => r.id !== p.id);
    agent.persist('reminders', left);
    return { cancelled: left.length !== list.length };
  }
  if (!p.text) throw new Error('a reminder needs a text');
  if (p.in === undefined && p.at === undefined) throw new Error('say when: "in" (e.g. "20m") or "at" (e.g. "18:30")');
  if (list.length >= PARAMS.max_reminders) throw new Error('too many pending reminders (' + list.length + ')');
  const at = p.at !== undefined ? parseAt(p.at) : Date.now() + parseIn(p.in);
  const id = agent.recall('next_id', 1);
  const reminder = { id, text: String(p.text), at };
  agent.persist('next_id', id + 1);
  agent.persist('reminders', list.concat([reminder]).sort((a, b) => a.at - b.at));
  await agent.log('reminder ' + id + ' set for ' + new Date(at).toISOString());
  return reminder;
}

async function process(agent) {
  const now = Date.now();
  const list = pending(agent);
  const due = list.filter((r) => r.at <= now);
  if (due.length === 0) return;
  for (const r of due) {
    const options = { title: 'Reminder' };
    if (PARAMS.notify_target) options.target = PARAMS.notify_target;
    await agent.notify(r.text, options);
    await agent.publish('custom/reminders/' + agent.name, { id: r.id, text: r.text, at: r.at });
    // Removed one by one: a failure after the first leaves the others for the next run.
    agent.persist('reminders', pending(agent).filter((x) => x.id !== r.id));
  }
}
