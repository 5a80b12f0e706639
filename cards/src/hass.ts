// The part of the dashboard's `hass` object the cards use, typed here rather than imported:
// custom-card-helpers lags HA, and HA's frontend types are not a package. Field names and the
// callService signature are HA frontend's (src/types.ts, HomeAssistant).

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

/** An entity registry display entry (`config/entity_registry/list_for_display`, expanded). */
export interface HassEntityRegistryDisplayEntry {
  entity_id: string;
  platform?: string;
  device_id?: string;
  name?: string | null;
}

export interface HassDevice {
  id: string;
  name: string | null;
  name_by_user: string | null;
}

export interface HassServiceTarget {
  entity_id?: string | string[];
}

export interface HomeAssistant {
  states: Record<string, HassEntity | undefined>;
  entities: Record<string, HassEntityRegistryDisplayEntry | undefined>;
  devices: Record<string, HassDevice | undefined>;
  language: string;
  user?: { id: string; name: string; is_admin: boolean };
  callService(domain: string, service: string, serviceData?: Record<string, unknown>, target?: HassServiceTarget, notifyOnError?: boolean, returnResponse?: boolean): Promise<unknown>;
  callWS<T>(msg: { type: string } & Record<string, unknown>): Promise<T>;
}

/** What a card editor and HA's card picker receive (`window.customCards`). */
export interface CustomCardEntry {
  type: string;
  name: string;
  description: string;
  preview?: boolean;
  documentationURL?: string;
}

declare global {
  interface Window {
    customCards?: CustomCardEntry[];
  }
}

/** HA's errors over the WebSocket are `{code, message}` objects, not Error instances. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
