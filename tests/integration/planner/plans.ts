// The pipeline plans the scripted LLM answers with, one per canonical pattern, written the way a
// model writes them (spawn configs in the seeds' shorthand where the spawn protocol accepts it).
export const P1_MOTION_LIGHT = {
  pattern: 'ha_sensor_action',
  title: 'Hallway light on motion',
  summary: 'Turns on the hallway light when the hallway motion sensor detects motion.',
  agents: [{
    name: 'hall-motion-light',
    description: 'Turns on light.hallway when binary_sensor.hallway_motion turns on',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'],
      detection_filter: { 'new_state.state': 'on' },
      actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }],
    },
  }],
};

export const P2_DOOR_NOTIFY = {
  pattern: 'ha_sensor_notification',
  title: 'Front door notification',
  summary: 'Sends a push notification to the phone when the front door opens.',
  agents: [{
    name: 'front-door-notify',
    description: 'Notifies mobile_app_phone when binary_sensor.front_door opens',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'old_state.state': 'off', 'new_state.state': 'on' },
      actions: [{ service: 'notify.mobile_app_phone', data: { title: 'Home', message: 'The front door opened' } }],
    },
  }],
};

const DETECTOR = (slug: string, question: string) => ({
  name: `${slug}-camera-detect`,
  description: 'Looks at the front door camera every 5 s and reports whether a person is there',
  spawn_config: {
    type: 'dynamic',
    poll_interval: 5,
    publishes: [`custom/detections/${slug}`],
    code: `async function process(agent) {
  const img = await agent.ha.cameraSnapshot('camera.front_door');
  const said = await agent.llm.chat('${question} Answer yes or no.', { images: [img] });
  const detected = /yes/i.test(said);
  await agent.publish('custom/detections/${slug}', { detected, target: 'person', objects: detected ? ['person'] : [] });
}`,
  },
});

export const P3_CAMERA_UNLOCK = {
  pattern: 'camera_detection_action',
  title: 'Unlock for a person at the door',
  summary: 'Unlocks the front door when the front camera sees a person.',
  agents: [
    DETECTOR('front-person', 'Is there a person in this picture?'),
    {
      name: 'front-person-unlock',
      description: 'Unlocks lock.front_door on a detection',
      spawn_config: {
        type: 'ha_actuator',
        mqtt_topics: ['custom/detections/front-person'],
        detection_filter: { detected: true },
        cooldown_seconds: 60,
        actions: [{ domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } }],
      },
    },
  ],
};

export const P4_CAMERA_NOTIFY = {
  pattern: 'camera_detection_notification',
  title: 'Person at the door',
  summary: 'Notifies the phone when the front camera sees a person.',
  agents: [
    DETECTOR('door-visitor', 'Is someone standing at the door?'),
    {
      name: 'door-visitor-notify',
      description: 'Sends a notification on a detection',
      spawn_config: {
        type: 'ha_actuator',
        mqtt_topics: ['custom/detections/door-visitor'],
        detection_filter: { detected: true },
        actions: [{ domain: 'notify', service: 'mobile_app_phone', service_data: { message: 'Someone is at the front door' } }],
      },
    },
  ],
};

export const P5_MIDNIGHT_LIGHTS = {
  pattern: 'schedule_action',
  title: 'Lights off at midnight',
  summary: 'Turns off every light at midnight.',
  agents: [{
    name: 'midnight-lights-off',
    description: 'Fires every day at 00:00 and turns off all lights',
    spawn_config: {
      type: 'scheduled',
      schedule: { type: 'daily', at: '00:00' },
      actions: [{ domain: 'light', service: 'turn_off', target: { entity_id: ['light.living_room', 'light.kitchen', 'light.bedroom', 'light.hallway', 'light.floor_lamp'] } }],
    },
  }],
};

export const P6_TEMP_LAMP = {
  pattern: 'mqtt_condition_action',
  title: 'Lamp off when warm',
  summary: 'Turns off the floor lamp when it is on and the sensor reports more than 20 degrees.',
  agents: [
    {
      name: 'warm-lamp-monitor',
      description: 'Tracks the temperature topic and the lamp, and triggers when both hold',
      spawn_config: {
        type: 'dynamic',
        publishes: ['custom/triggers/warm-lamp'],
        code: `async function setup(agent) {
  agent.state.temp = 0;
  agent.state.lampOn = false;
  const check = async () => {
    if (agent.state.lampOn && agent.state.temp > 20) await agent.publish('custom/triggers/warm-lamp', { triggered: true });
  };
  agent.subscribe('custom/sensors/temp_humidity', async (data) => { agent.state.temp = data.temp; await check(); });
  agent.subscribe('ha/state_changes/light/light.floor_lamp', async (data) => { agent.state.lampOn = data.new_state && data.new_state.state === 'on'; await check(); });
}`,
      },
    },
    {
      name: 'warm-lamp-off',
      description: 'Turns off light.floor_lamp on the trigger',
      spawn_config: {
        type: 'ha_actuator',
        mqtt_topics: ['custom/triggers/warm-lamp'],
        detection_filter: { triggered: true },
        actions: [{ domain: 'light', service: 'turn_off', target: { entity_id: ['light.floor_lamp'] } }],
      },
    },
  ],
};

export const P7_SNAPSHOT = {
  pattern: 'camera_snapshot',
  title: 'Who is at the door?',
  summary: 'Takes one snapshot of the front door camera, describes it and sends the description to the phone.',
  agents: [{
    name: 'door-snapshot',
    description: 'One snapshot, described and sent as a notification',
    spawn_config: {
      type: 'dynamic',
      code: `async function setup(agent) {
  const img = await agent.ha.cameraSnapshot('camera.front_door');
  const text = await agent.llm.chat('Describe who is at the door in one sentence.', { images: [img] });
  agent.persist('last_description', text);
  await agent.notify(text, { title: 'Front door' });
}`,
    },
  }],
};
