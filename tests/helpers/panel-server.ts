// The real Fastify app serving the real built panel on an ephemeral port, with fake services,
// for browser tests. The panel is built first if its output is missing or stale.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PANEL_DIR } from '../../server/src/http/app.ts';
import { buildTestApp, type TestApp, type TestAppOptions } from './http-app.ts';

const ENSURE_PANEL = fileURLToPath(new URL('../../scripts/ensure-panel.mjs', import.meta.url));

export function ensurePanelBuilt(): void {
  const r = spawnSync(process.execPath, [ENSURE_PANEL], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the panel failed:\n${r.stdout}${r.stderr}`);
}

export interface PanelServer extends TestApp {
  url: string;
}

export async function startPanelServer(opts: TestAppOptions & { port?: number } = {}): Promise<PanelServer> {
  const t = await buildTestApp({ panelDir: DEFAULT_PANEL_DIR, ...opts });
  const url = await t.app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  return { ...t, url };
}
