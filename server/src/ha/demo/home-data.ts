// The demo home: a small, realistic house (two floors, five areas, the devices a newcomer would
// recognise) described once; registries.ts and demo-home.ts turn it into HA's registry entries and
// states. Everything here is what a fresh HA 2025.7 install with these integrations would report.
import { createHash } from 'node:crypto';

export const DEMO_LOCATION = { latitude: 52.3731, longitude: 4.8922, elevation: 2, timeZone: 'Europe/Amsterdam', country: 'NL', name: 'Demo Home' };

export interface FloorSpec { floor_id: string; name: string; level: number; icon: string }
export interface AreaSpec { area_id: string; name: string; floor_id: string; icon: string; temperature?: string; humidity?: string }
export interface LabelSpec { label_id: string; name: string; color: string; icon: string; description: string }
export interface DeviceSpec { key: string; name: string; area_id: string | null; manufacturer: string; model: string; integration: string; sw_version?: string; entry_type?: 'service' }
export interface EntitySpec {
  entity_id: string;
  /** Device key from DEVICES; entities without a device belong to a helper integration. */
  device?: string;
  platform: string;
  state: string;
  attributes: Record<string, unknown>;
  labels?: string[];
  entity_category?: 'config' | 'diagnostic';
}

export const FLOORS: FloorSpec[] = [
  { floor_id: 'ground_floor', name: 'Ground floor', level: 0, icon: 'mdi:home-floor-0' },
  { floor_id: 'first_floor', name: 'First floor', level: 1, icon: 'mdi:home-floor-1' },
];

export const AREAS: AreaSpec[] = [
  { area_id: 'living_room', name: 'Living Room', floor_id: 'ground_floor', icon: 'mdi:sofa', temperature: 'sensor.living_room_temperature', humidity: 'sensor.living_room_humidity' },
  { area_id: 'kitchen', name: 'Kitchen', floor_id: 'ground_floor', icon: 'mdi:stove' },
  { area_id: 'hallway', name: 'Hallway', floor_id: 'ground_floor', icon: 'mdi:door' },
  { area_id: 'garage', name: 'Garage', floor_id: 'ground_floor', icon: 'mdi:garage' },
  { area_id: 'bedroom', name: 'Bedroom', floor_id: 'first_floor', icon: 'mdi:bed', temperature: 'sensor.bedroom_temperature' },
];

export const LABELS: LabelSpec[] = [
  { label_id: 'security', name: 'Security', color: 'red', icon: 'mdi:shield-home', description: 'Doors, locks and the camera' },
  { label_id: 'lighting', name: 'Lighting', color: 'amber', icon: 'mdi:lightbulb-group', description: 'Every light in the house' },
];

export const DEVICES: DeviceSpec[] = [
  { key: 'living_room_ceiling', name: 'Living Room Ceiling', area_id: 'living_room', manufacturer: 'Signify Netherlands B.V.', model: 'Hue White and Color Ambiance', integration: 'hue', sw_version: '1.122.2' },
  { key: 'floor_lamp', name: 'Floor Lamp', area_id: 'living_room', manufacturer: 'IKEA of Sweden', model: 'TRADFRI bulb E27 WS globe 806lm', integration: 'zha' },
  { key: 'kitchen_spots', name: 'Kitchen Spots', area_id: 'kitchen', manufacturer: 'Signify Netherlands B.V.', model: 'Hue White ambiance GU10', integration: 'hue', sw_version: '1.122.2' },
  { key: 'bedroom_lamp', name: 'Bedroom Lamp', area_id: 'bedroom', manufacturer: 'Signify Netherlands B.V.', model: 'Hue Go', integration: 'hue', sw_version: '1.122.2' },
  { key: 'hallway_light', name: 'Hallway Light', area_id: 'hallway', manufacturer: 'Shelly', model: 'Shelly Plus 1', integration: 'shelly', sw_version: '1.4.4' },
  { key: 'coffee_maker_plug', name: 'Coffee Maker Plug', area_id: 'kitchen', manufacturer: 'TP-Link', model: 'Tapo P110', integration: 'tplink' },
  { key: 'tv_plug', name: 'TV Plug', area_id: 'living_room', manufacturer: 'TP-Link', model: 'Tapo P110', integration: 'tplink' },
  { key: 'front_door_sensor', name: 'Front Door Sensor', area_id: 'hallway', manufacturer: 'Aqara', model: 'Door and Window Sensor P2', integration: 'matter' },
  { key: 'hallway_motion', name: 'Hallway Motion', area_id: 'hallway', manufacturer: 'Aqara', model: 'Motion Sensor P2', integration: 'matter' },
  { key: 'living_room_climate_sensor', name: 'Living Room Climate Sensor', area_id: 'living_room', manufacturer: 'Aqara', model: 'Temperature and Humidity Sensor', integration: 'zha' },
  { key: 'bedroom_climate_sensor', name: 'Bedroom Climate Sensor', area_id: 'bedroom', manufacturer: 'Aqara', model: 'Temperature and Humidity Sensor', integration: 'zha' },
  { key: 'front_door_lock', name: 'Front Door Lock', area_id: 'hallway', manufacturer: 'Nuki', model: 'Smart Lock 4.0 Pro', integration: 'nuki', sw_version: '4.2.8' },
  { key: 'thermostat', name: 'Thermostat', area_id: 'living_room', manufacturer: 'tado', model: 'Smart Thermostat X', integration: 'tado' },
  { key: 'garage_door', name: 'Garage Door', area_id: 'garage', manufacturer: 'Meross', model: 'MSG100', integration: 'meross_lan' },
  { key: 'front_door_camera', name: 'Front Door Camera', area_id: 'hallway', manufacturer: 'Reolink', model: 'Video Doorbell WiFi', integration: 'reolink', sw_version: 'v3.0.0.4348' },
  { key: 'phone', name: 'Phone', area_id: null, manufacturer: 'Google', model: 'Pixel 8', integration: 'mobile_app', sw_version: '2025.7.1-full' },
  { key: 'sun', name: 'Sun', area_id: null, manufacturer: 'Home Assistant', model: 'Sun', integration: 'sun', entry_type: 'service' },
];

const light = (name: string, on: boolean, brightness = 180) => ({
  min_color_temp_kelvin: 2202,
  max_color_temp_kelvin: 6535,
  supported_color_modes: ['color_temp'],
  color_mode: on ? 'color_temp' : null,
  brightness: on ? brightness : null,
  color_temp_kelvin: on ? 2700 : null,
  friendly_name: name,
  supported_features: 40,
});

export const ENTITIES: EntitySpec[] = [
  { entity_id: 'light.living_room', device: 'living_room_ceiling', platform: 'hue', state: 'on', attributes: light('Living Room Light', true), labels: ['lighting'] },
  { entity_id: 'light.floor_lamp', device: 'floor_lamp', platform: 'zha', state: 'off', attributes: light('Floor Lamp', false), labels: ['lighting'] },
  { entity_id: 'light.kitchen', device: 'kitchen_spots', platform: 'hue', state: 'off', attributes: light('Kitchen Light', false), labels: ['lighting'] },
  { entity_id: 'light.bedroom', device: 'bedroom_lamp', platform: 'hue', state: 'off', attributes: light('Bedroom Light', false), labels: ['lighting'] },
  { entity_id: 'light.hallway', device: 'hallway_light', platform: 'shelly', state: 'off', attributes: light('Hallway Light', false), labels: ['lighting'] },
  { entity_id: 'switch.coffee_maker', device: 'coffee_maker_plug', platform: 'tplink', state: 'off', attributes: { device_class: 'outlet', friendly_name: 'Coffee Maker' } },
  { entity_id: 'switch.tv', device: 'tv_plug', platform: 'tplink', state: 'on', attributes: { device_class: 'outlet', friendly_name: 'TV' } },
  { entity_id: 'binary_sensor.front_door', device: 'front_door_sensor', platform: 'matter', state: 'off', attributes: { device_class: 'door', friendly_name: 'Front Door' }, labels: ['security'] },
  { entity_id: 'binary_sensor.hallway_motion', device: 'hallway_motion', platform: 'matter', state: 'off', attributes: { device_class: 'motion', friendly_name: 'Hallway Motion' } },
  { entity_id: 'sensor.living_room_temperature', device: 'living_room_climate_sensor', platform: 'zha', state: '21.5', attributes: { state_class: 'measurement', unit_of_measurement: '°C', device_class: 'temperature', friendly_name: 'Living Room Temperature' } },
  { entity_id: 'sensor.living_room_humidity', device: 'living_room_climate_sensor', platform: 'zha', state: '45', attributes: { state_class: 'measurement', unit_of_measurement: '%', device_class: 'humidity', friendly_name: 'Living Room Humidity' } },
  { entity_id: 'sensor.bedroom_temperature', device: 'bedroom_climate_sensor', platform: 'zha', state: '19.8', attributes: { state_class: 'measurement', unit_of_measurement: '°C', device_class: 'temperature', friendly_name: 'Bedroom Temperature' } },
  { entity_id: 'lock.front_door', device: 'front_door_lock', platform: 'nuki', state: 'locked', attributes: { friendly_name: 'Front Door Lock', supported_features: 1 }, labels: ['security'] },
  {
    entity_id: 'climate.living_room',
    device: 'thermostat',
    platform: 'tado',
    state: 'heat',
    attributes: {
      hvac_modes: ['off', 'heat', 'auto'],
      min_temp: 7,
      max_temp: 30,
      target_temp_step: 0.5,
      current_temperature: 21.5,
      temperature: 21,
      current_humidity: 45,
      hvac_action: 'idle',
      friendly_name: 'Thermostat',
      supported_features: 385,
    },
  },
  { entity_id: 'cover.garage_door', device: 'garage_door', platform: 'meross_lan', state: 'closed', attributes: { current_position: 0, device_class: 'garage', friendly_name: 'Garage Door', supported_features: 7 }, labels: ['security'] },
  {
    entity_id: 'camera.front_door',
    device: 'front_door_camera',
    platform: 'reolink',
    state: 'idle',
    attributes: { brand: 'Reolink', model_name: 'Video Doorbell WiFi', friendly_name: 'Front Door Camera', supported_features: 2, frontend_stream_type: 'hls' },
    labels: ['security'],
  },
  {
    entity_id: 'device_tracker.phone',
    device: 'phone',
    platform: 'mobile_app',
    state: 'home',
    attributes: { source_type: 'gps', battery_level: 82, latitude: DEMO_LOCATION.latitude, longitude: DEMO_LOCATION.longitude, gps_accuracy: 12, altitude: 2, friendly_name: 'Phone' },
  },
  { entity_id: 'sensor.phone_battery_level', device: 'phone', platform: 'mobile_app', state: '82', attributes: { unit_of_measurement: '%', device_class: 'battery', friendly_name: 'Phone Battery level' }, entity_category: 'diagnostic' },
  { entity_id: 'sun.sun', device: 'sun', platform: 'sun', state: 'above_horizon', attributes: { friendly_name: 'Sun' } },
  {
    entity_id: 'person.alex',
    platform: 'person',
    state: 'home',
    attributes: {
      editable: true,
      id: 'alex',
      device_trackers: ['device_tracker.phone'],
      latitude: DEMO_LOCATION.latitude,
      longitude: DEMO_LOCATION.longitude,
      gps_accuracy: 12,
      source: 'device_tracker.phone',
      user_id: demoId('user:alex'),
      friendly_name: 'Alex',
    },
  },
  { entity_id: 'input_boolean.guest_mode', platform: 'input_boolean', state: 'off', attributes: { editable: true, icon: 'mdi:account-multiple', friendly_name: 'Guest mode' } },
  {
    entity_id: 'zone.home',
    platform: 'zone',
    state: '1',
    attributes: { latitude: DEMO_LOCATION.latitude, longitude: DEMO_LOCATION.longitude, radius: 100, passive: false, persons: ['person.alex'], editable: true, icon: 'mdi:home', friendly_name: DEMO_LOCATION.name },
  },
];

/** Notification targets registered by the mobile_app integration (notify.<service>). */
export const NOTIFY_TARGETS = ['mobile_app_phone'];

/** An automation that exists at start, so listing and editing have something to find. */
export const AUTOMATIONS: Record<string, Record<string, unknown>> = {
  '1735689600001': {
    id: '1735689600001',
    alias: 'Hallway light on motion',
    description: 'Turn the hallway light on when motion is detected after sunset',
    triggers: [{ trigger: 'state', entity_id: 'binary_sensor.hallway_motion', to: 'on' }],
    conditions: [{ condition: 'state', entity_id: 'sun.sun', state: 'below_horizon' }],
    actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hallway' } }],
    mode: 'single',
  },
};

/** Stable 32-hex ids, as HA's registries use (uuid4().hex), derived from a name. */
export function demoId(name: string): string {
  return createHash('md5').update(`wactorz-demo:${name}`).digest('hex');
}

/** Registry timestamps: the day the demo home was "installed". */
export const INSTALLED_AT = Date.UTC(2025, 0, 1) / 1000;
