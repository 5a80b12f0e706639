// The demo house itself, without the network: event bus, states, registries, services,
// automations, recorder and the conversation agent, wired as HA core wires them. demo-home.ts puts
// the WebSocket and REST APIs in front of it.
import type { Context } from 'home-assistant-js-websocket';
import { systemClock, type Clock } from '../../core/clock.ts';
import { DemoAutomations } from './automations.ts';
import { processConversation, type ConversationInput, type ConversationResponse } from './conversation.ts';
import { DemoEventBus } from './event-bus.ts';
import { DemoHistory } from './history.ts';
import { DEMO_LOCATION, ENTITIES, NOTIFY_TARGETS, demoId } from './home-data.ts';
import { DEMO_HA_VERSION, newContext } from './protocol.ts';
import { DemoRegistries } from './registries.ts';
import { DemoServices } from './services.ts';
import { DemoStates } from './states.ts';
import { sunState } from './sun.ts';

export interface DemoHomeCoreOptions {
  clock?: Clock;
  haVersion?: string;
}

export class DemoHomeCore {
  readonly clock: Clock;
  readonly haVersion: string;
  readonly bus: DemoEventBus;
  readonly states: DemoStates;
  readonly registries: DemoRegistries;
  readonly services: DemoServices;
  readonly automations: DemoAutomations;
  readonly history: DemoHistory;
  /** The user every API call acts as (a long-lived token's owner). */
  readonly userId = demoId('user:wactorz');

  constructor({ clock = systemClock, haVersion = DEMO_HA_VERSION }: DemoHomeCoreOptions = {}) {
    this.clock = clock;
    this.haVersion = haVersion;
    const now = () => this.clock.now();
    this.bus = new DemoEventBus(clock);
    this.states = new DemoStates(clock, this.bus);
    this.registries = new DemoRegistries(this.bus, now);
    this.automations = new DemoAutomations({ states: this.states, registries: this.registries, now });
    this.services = new DemoServices({
      states: this.states,
      registries: this.registries,
      bus: this.bus,
      now,
      notifyTargets: NOTIFY_TARGETS,
      onAutomationTrigger: (entityId, context) => this.automations.trigger(entityId, context),
    });
    // HA's conversation integration offers Assist as services too (conversation.process answers
    // with the same result as POST /api/conversation/process).
    this.services.register('conversation', 'process', {
      description: { name: 'Process', description: 'Launches a conversation from a transcribed text.', fields: { text: {}, language: {}, agent_id: {}, conversation_id: {} } },
      supportsResponse: 'optional',
      run: (_h, d) => this.converse({ text: typeof d.text === 'string' ? d.text : '', ...(typeof d.language === 'string' ? { language: d.language } : {}), ...(typeof d.conversation_id === 'string' ? { conversation_id: d.conversation_id } : {}) }),
    });
    this.services.register('conversation', 'reload', { description: { name: 'Reload', description: 'Reloads the intent configuration.', fields: {} }, run: () => undefined });
    this.history = new DemoHistory();
    this.history.attach(this.bus);
    const sun = sunState(this.clock.now(), DEMO_LOCATION.latitude, DEMO_LOCATION.longitude);
    for (const e of ENTITIES) {
      if (e.entity_id === 'sun.sun') this.states.set(e.entity_id, sun.state, sun.attributes);
      else this.states.set(e.entity_id, e.state, e.attributes);
    }
    this.automations.seed({
      callService: (domain, service, data, target, context) => {
        try {
          this.services.call({ domain, service, serviceData: data, target, context: newContext(this.clock.now(), null, context.id) });
        } catch {
          // An automation's failing step is logged by HA and the run stops; the demo just stops.
        }
      },
      fireTriggered: (name, entityId, context) => this.bus.fire('automation_triggered', { name, entity_id: entityId, source: 'action' }, context),
    });
  }

  newContext(userId: string | null = this.userId): Context {
    return newContext(this.clock.now(), userId);
  }

  /** hass.config.as_dict() of HA 2025.7. */
  config(): Record<string, unknown> {
    return {
      allowlist_external_dirs: ['/media', '/config/www'],
      allowlist_external_urls: [],
      components: [...new Set(['api', 'automation', 'camera', 'climate', 'config', 'conversation', 'cover', 'history', 'input_boolean', 'light', 'lock', 'mobile_app', 'notify', 'person', 'recorder', 'sensor', 'sun', 'switch', 'websocket_api', 'zone', ...ENTITIES.map((e) => e.platform)])].sort(),
      config_dir: '/config',
      config_source: 'storage',
      country: DEMO_LOCATION.country,
      currency: 'EUR',
      debug: false,
      elevation: DEMO_LOCATION.elevation,
      external_url: null,
      internal_url: null,
      language: 'en',
      latitude: DEMO_LOCATION.latitude,
      location_name: DEMO_LOCATION.name,
      longitude: DEMO_LOCATION.longitude,
      radius: 100,
      recovery_mode: false,
      safe_mode: false,
      state: 'RUNNING',
      time_zone: DEMO_LOCATION.timeZone,
      unit_system: { length: 'km', accumulated_precipitation: 'mm', area: 'm²', mass: 'g', pressure: 'Pa', temperature: '°C', volume: 'L', wind_speed: 'm/s' },
      version: this.haVersion,
      whitelist_external_dirs: ['/media', '/config/www'],
    };
  }

  converse(input: ConversationInput): ConversationResponse {
    return processConversation(input, {
      states: this.states,
      registries: this.registries,
      now: () => this.clock.now(),
      call: (domain, service, entityId) => void this.services.call({ domain, service, target: { entity_id: entityId }, context: this.newContext() }),
    });
  }

  /** Recomputes sun.sun for the clock's current time (demos with a moving clock call this). */
  refreshSun(): void {
    const sun = sunState(this.clock.now(), DEMO_LOCATION.latitude, DEMO_LOCATION.longitude);
    this.states.set('sun.sun', sun.state, sun.attributes, { replaceAttributes: true });
  }
}
