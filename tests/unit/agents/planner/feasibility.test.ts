// Feasibility against the demo home: what it has passes, what it lacks gets a clear answer that
// names the missing device and what the home does offer.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkFeasibility, infeasibleAnswer } from '../../../../server/src/agents/planner/pipeline/feasibility.ts';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import { entityMap, discover } from '../../../../server/src/agents/planner/pipeline/discovery.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';

let d: DemoHa;
beforeAll(async () => {
  d = await demoHa();
});
afterAll(async () => {
  await d.close();
});

test('rules the demo home can do are feasible', () => {
  const home = snapshotHome(d.ha);
  for (const text of [
    'turn on the hallway light when motion is detected',
    'notify me on my phone when the front door opens',
    'if the temperature goes above 28 degrees, turn on the tv',
    'unlock the front door when a person is seen on the camera',
    'close the garage at midnight',
  ]) expect(checkFeasibility(text, home), text).toEqual({ ok: true, missing: [] });
});

test('a request for a device the home lacks is refused with what is missing', () => {
  const home = snapshotHome(d.ha);
  const f = checkFeasibility('start the vacuum when everyone leaves and close the blinds', home);
  expect(f).toEqual({ ok: false, missing: ['vacuum (vacuum.* entity)', 'blinds or shutters (cover.* entity)'] });
  const text = infeasibleAnswer('start the vacuum when everyone leaves', f.missing, home);
  expect(text).toContain("your home has no vacuum (vacuum.* entity), no blinds or shutters (cover.* entity).");
  expect(text).toContain('binary_sensor, camera, climate, cover');
});

test('discovery: a compact area map with states and classes, notify targets and camera URLs', () => {
  const home = snapshotHome(d.ha);
  const map = entityMap(home);
  expect(map).toContain('Hallway:\n');
  expect(map).toContain('  binary_sensor.hallway_motion "Hallway Motion" = off [motion]');
  expect(map).toContain('  sensor.living_room_temperature "Living Room Temperature" = 21.5 °C [temperature]');
  expect(map).not.toContain('zone.home');
  const disc = discover(home);
  expect(disc.notifyTargets).toContain('mobile_app_phone');
  expect(disc.cameras).toContain("camera.front_door \"Front Door Camera\": snapshot with await agent.ha.cameraSnapshot('camera.front_door') (HA: /api/camera_proxy/camera.front_door); stream: /api/camera_proxy_stream/camera.front_door");
});
