// What an HA service does to an entity's state, for the services that change it predictably.
// Used to decide whether a rule's own action re-fires its trigger. Services that only change
// attributes (brightness, temperature setpoint) are left out: repeating them changes nothing, so
// they cannot loop.

const ON_OFF = ['on', 'off'];

/** The states an entity of a domain can be in (what a trigger may have seen). */
export const DOMAIN_STATES: Record<string, readonly string[]> = {
  light: ON_OFF,
  switch: ON_OFF,
  fan: ON_OFF,
  input_boolean: ON_OFF,
  siren: ON_OFF,
  humidifier: ON_OFF,
  remote: ON_OFF,
  automation: ON_OFF,
  lock: ['locked', 'unlocked', 'open', 'jammed', 'locking', 'unlocking'],
  cover: ['open', 'closed', 'opening', 'closing'],
  valve: ['open', 'closed', 'opening', 'closing'],
  media_player: ['off', 'on', 'idle', 'playing', 'paused', 'standby'],
  climate: ['off', 'heat', 'cool', 'auto', 'heat_cool', 'dry', 'fan_only'],
  alarm_control_panel: ['disarmed', 'armed_home', 'armed_away', 'armed_night', 'armed_vacation', 'triggered'],
  vacuum: ['cleaning', 'docked', 'idle', 'paused', 'returning'],
};

type Effect = (from: string, data: Record<string, unknown>) => string | undefined;

const to = (state: string): Effect => () => state;
const flip = (a: string, b: string): Effect => (from) => (from === a ? b : a);

const EFFECTS: Record<string, Record<string, Effect>> = {
  '*': { turn_on: to('on'), turn_off: to('off'), toggle: flip('on', 'off') },
  lock: { lock: to('locked'), unlock: to('unlocked'), open: to('open') },
  cover: { open_cover: to('open'), close_cover: to('closed'), toggle: flip('open', 'closed') },
  valve: { open_valve: to('open'), close_valve: to('closed'), toggle: flip('open', 'closed') },
  media_player: { media_play: to('playing'), media_pause: to('paused'), media_stop: to('idle'), media_play_pause: flip('playing', 'paused'), turn_on: to('on'), turn_off: to('off') },
  climate: {
    set_hvac_mode: (_from, data) => (typeof data.hvac_mode === 'string' ? data.hvac_mode : undefined),
    turn_off: to('off'),
    turn_on: (from) => (from === 'off' ? 'heat' : from),
  },
  alarm_control_panel: {
    alarm_disarm: to('disarmed'), alarm_arm_home: to('armed_home'), alarm_arm_away: to('armed_away'),
    alarm_arm_night: to('armed_night'), alarm_arm_vacation: to('armed_vacation'), alarm_trigger: to('triggered'),
  },
  vacuum: { start: to('cleaning'), pause: to('paused'), return_to_base: to('returning'), stop: to('idle') },
  input_select: { select_option: (_f, d) => (typeof d.option === 'string' ? d.option : undefined) },
  select: { select_option: (_f, d) => (typeof d.option === 'string' ? d.option : undefined) },
};

/** The state after `domain.service` when the entity was in `from`; undefined when not predictable. */
export function stateAfter(domain: string, service: string, from: string, data: Record<string, unknown> = {}): string | undefined {
  const effect = EFFECTS[domain]?.[service] ?? (DOMAIN_STATES[domain] === ON_OFF || domain === 'homeassistant' ? EFFECTS['*'][service] : undefined);
  return effect?.(from, data);
}
