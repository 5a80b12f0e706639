// Weather fetcher: calls PARAMS.url every poll_interval through agent.http.fetch (the host's
// fetch, under the sandbox policy), reads the temperature from the common JSON shapes and
// publishes it on custom/weather/<agent>. The last reading is persisted; a failed call keeps it.

function pick(data) {
  const cw = data.current_weather || data.current || data.main || data;
  const temperature = Number(cw.temperature ?? cw.temperature_2m ?? cw.temp);
  if (!Number.isFinite(temperature)) return null;
  const reading = { location: PARAMS.location, temperature, ts: Date.now() };
  const wind = Number(cw.windspeed ?? cw.wind_speed_10m ?? cw.wind_speed);
  if (Number.isFinite(wind)) reading.windspeed = wind;
  const code = Number(cw.weathercode ?? cw.weather_code);
  if (Number.isFinite(code)) reading.weathercode = code;
  return reading;
}

async function fetchWeather(agent) {
  const r = await agent.http.fetch(PARAMS.url);
  if (!r.ok) throw new Error('the weather service answered ' + r.status);
  const reading = pick(await r.json());
  if (!reading) throw new Error('no temperature in the answer of ' + PARAMS.url);
  agent.persist('last', reading);
  await agent.publish('custom/weather/' + agent.name, reading);
  return reading;
}

async function setup(agent) {
  agent.declareContract({ publishes: ['custom/weather/' + agent.name], produces_schema: { location: 'string', temperature: 'number', windspeed: 'number', ts: 'number' } });
}

async function process(agent) {
  try {
    await fetchWeather(agent);
  } catch (e) {
    await agent.log('weather not updated: ' + e.message, 'warn');
  }
}

async function handleTask(agent, payload) {
  const last = agent.recall('last', null);
  if (last && !(payload && payload.refresh)) return last;
  return await fetchWeather(agent);
}
