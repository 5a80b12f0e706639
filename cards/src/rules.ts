// Wactorz rules as the dashboard sees them: the companion integration's switch per rule (on =
// enabled, the rule's id, status and last firing as attributes), read from `hass` so the list is
// live, and toggled through HA's own switch actions.
import type { HassEntity, HomeAssistant } from './hass.ts';

export interface RuleRow {
  entityId: string;
  /** The rule's id; null while the switch is unavailable (HA drops the attributes then). */
  ruleId: string | null;
  name: string;
  description: string | null;
  enabled: boolean;
  /** The switch is unavailable: the add-on unreachable or the rule just deleted. */
  available: boolean;
  status: string | null;
  lastFiredAt: string | null;
  fireCount: number | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The friendly name without the device's name in front ("Wactorz Rule X" → "Rule X"), as HA's cards show it. */
function nameOf(hass: HomeAssistant, state: HassEntity): string {
  const full = text(state.attributes.friendly_name) ?? state.entity_id;
  const deviceId = hass.entities[state.entity_id]?.device_id;
  const device = deviceId ? hass.devices[deviceId] : undefined;
  const prefix = device?.name_by_user ?? device?.name;
  return prefix && full.startsWith(`${prefix} `) ? full.slice(prefix.length + 1) : full;
}

export function ruleRows(hass: HomeAssistant): RuleRow[] {
  const rows: RuleRow[] = [];
  for (const entry of Object.values(hass.entities)) {
    if (!entry || entry.platform !== 'wactorz' || !entry.entity_id.startsWith('switch.')) continue;
    const state = hass.states[entry.entity_id];
    if (!state) continue;
    const a = state.attributes;
    rows.push({
      entityId: state.entity_id,
      ruleId: text(a.rule_id),
      name: nameOf(hass, state),
      description: text(a.description),
      enabled: state.state === 'on',
      available: state.state === 'on' || state.state === 'off',
      status: text(a.status),
      lastFiredAt: text(a.last_fired_at),
      fireCount: typeof a.fire_count === 'number' ? a.fire_count : null,
    });
  }
  return rows.sort((x, y) => x.name.localeCompare(y.name));
}

export async function setRuleEnabled(hass: HomeAssistant, entityId: string, enabled: boolean): Promise<void> {
  await hass.callService('switch', enabled ? 'turn_on' : 'turn_off', {}, { entity_id: entityId });
}

/** "3 min ago", "2 h ago", "5 d ago" in the dashboard's language. */
export function ago(iso: string, language: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}
