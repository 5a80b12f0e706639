// Where the REST API and the WebSocket of a Home Assistant target are. Through the Supervisor the
// Core API sits under http://supervisor/core/api and its WebSocket at ws://supervisor/core/websocket
// (developers.home-assistant.io, "Add-on communication"); a direct HA_URL has them at /api and
// /api/websocket.
export type HaMode = 'supervisor' | 'direct' | 'demo';

export interface HaEndpoints {
  mode: HaMode;
  /** REST base, ending in /api (no trailing slash). */
  restBase: string;
  wsUrl: string;
  token: string;
}

export function endpointsFor(mode: HaMode, url: string, token: string): HaEndpoints {
  const base = url.replace(/\/+$/, '');
  const ws = base.replace(/^http/, 'ws');
  if (mode === 'supervisor') return { mode, restBase: `${base}/api`, wsUrl: `${ws}/websocket`, token };
  return { mode, restBase: `${base}/api`, wsUrl: `${ws}/api/websocket`, token };
}
