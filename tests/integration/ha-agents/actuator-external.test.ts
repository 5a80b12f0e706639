// A rule on a device topic outside the root (mqtt_read_topics): "when zigbee2mqtt/door_sensor
// reports contact false, turn on the hallway light", with the device publishing on a real aedes
// broker, and the same rule refused when the owner has not allowed the topic.
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { HaActuatorAgent } from '../../../server/src/agents/ha/actuator/actuator-agent.ts';
import { actuatorConfig } from './configs.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

const rule = { mqtt_topics: ['zigbee2mqtt/door_sensor'], detection_filter: { contact: false }, cooldown_seconds: 0, actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] };
const calls = () => world.home.serviceCalls().filter((c) => `${c.domain}.${c.service}` === 'light.turn_on');

describe('ha_actuator on a device topic', () => {
  it('acts on an allowed device topic as the device publishes it', async () => {
    world = await startWorld({ externalReads: ['zigbee2mqtt/+'] });
    const actor = await world.system.spawn(new HaActuatorAgent(actuatorConfig(rule), { ha: world.ha, sensitiveConfirmed: false }));
    await world.synced();
    const device = await mqtt.connectAsync(world.broker.url);
    try {
      await device.publishAsync('zigbee2mqtt/door_sensor', JSON.stringify({ contact: true }), { qos: 1 });
      await device.publishAsync('zigbee2mqtt/door_sensor', 'not json', { qos: 1 });
      await device.publishAsync('zigbee2mqtt/door_sensor', JSON.stringify({ contact: false, battery: 91 }), { qos: 1 });
      await eventually(() => calls().length > 0, 'light.turn_on at the demo home');
      expect(calls()).toHaveLength(1);
      await eventually(() => world.on(`agents/${actor.id}/actuations`).length > 0, 'the actuation event');
      expect(world.on(`agents/${actor.id}/actuations`)[0]?.payload).toMatchObject({ service: 'light.turn_on', status: 'ok', trigger_topic: 'zigbee2mqtt/door_sensor' });
    } finally {
      await device.endAsync();
    }
  });

  it('refuses to start on a device topic the owner did not allow, saying which option allows it', async () => {
    world = await startWorld();
    await expect(world.system.spawn(new HaActuatorAgent(actuatorConfig(rule), { ha: world.ha, sensitiveConfirmed: false }))).rejects.toThrow(
      'door-light: cannot listen on "zigbee2mqtt/door_sensor": it is a device topic outside Wactorz that the owner has not allowed in the add-on option mqtt_read_topics (it allows none)',
    );
  });
});
