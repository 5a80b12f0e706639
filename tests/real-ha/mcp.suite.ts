// Home Assistant's own `mcp` integration using Wactorz's MCP server: the product runs as its own
// process against the real HA; HA's config flow is given the URL the add-on announces through
// Supervisor discovery (/mcp/<integration token>: HA's client sends no credentials), it lists
// Wactorz's tools and registers them as an LLM API every HA conversation agent can use. The
// request log shows HA's calls with the token hidden. The entry is removed at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_FILE } from '../../server/src/interfaces/integration/install-identity.ts';
import type { Connection } from '../../scripts/real-ha/instance.ts';
import { openHaSocket, type HaSocket } from '../../scripts/real-ha/ws-session.ts';
import { reply, startFakeLlm, type FakeLlmServer } from '../helpers/fake-llm/index.ts';
import type { HaTarget } from '../helpers/ha-target.ts';
import { stopServerProcess, waitForOutput, type ServerProcess } from '../helpers/server-process.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { flowStep, startFlow } from './ha-rest.ts';
import { until } from './poll.ts';
import { startProduct } from './product-env.ts';

export function realHaMcp(target: () => HaTarget, connection: () => Connection): void {
  describe("Wactorz's tools in the real HA (mcp integration)", { timeout: 300_000 }, () => {
    it('config flow with the announced URL, the tools registered as an LLM API, the token never logged', async () => {
      const t = target();
      const c = connection();
      const dir = makeTempDir('wactorz-real-ha-mcp-');
      let fake: FakeLlmServer | undefined;
      let server: ServerProcess | undefined;
      let socket: HaSocket | undefined;
      let entryId: string | undefined;
      try {
        fake = await startFakeLlm({ respond: () => reply.text('OK.') });
        server = await startProduct(c, dir.path, fake, 'mcp-suite-api-key-0123456789', { WACTORZ_LOG_LEVEL: 'debug' });
        const { token } = JSON.parse(readFileSync(join(dir.path, IDENTITY_FILE), 'utf8')) as { token: string };

        const form = await startFlow(t, 'mcp');
        expect(form).toMatchObject({ type: 'form', step_id: 'user' });
        const created = await flowStep(t, form, { url: `${server.baseUrl}/mcp/${token}` }, "the mcp config flow's user step");
        expect(created, JSON.stringify(created)).toMatchObject({ type: 'create_entry', title: 'wactorz' });
        entryId = typeof created.result === 'object' ? created.result.entry_id : undefined;

        // The tools as an LLM API that HA's conversation agents (OpenAI, Anthropic, Ollama…) can be given.
        socket = await openHaSocket(c.url, c.token);
        const ws = socket;
        const apis = await until(
          () => ws.command<{ apis: { id: string; name: string }[] }>({ type: 'llm/api/list' }),
          (r) => r.apis.some((a) => a.name === 'wactorz'),
          "Wactorz's tools among HA's LLM APIs",
          t.patienceMs,
        );
        expect(apis.apis.find((a) => a.name === 'wactorz')?.id).toMatch(/^mcp-/);
        // HA listed the tools over MCP; the request log shows it without the token.
        await waitForOutput(server, 'POST /mcp/*** 200', 30_000);
        expect(server.output()).not.toContain(token);
      } finally {
        if (entryId) await t.api(`config/config_entries/entry/${entryId}`, { method: 'DELETE' }).catch(() => undefined);
        socket?.close();
        await stopServerProcess(server);
        await fake?.close();
        dir.cleanup();
      }
    });
  });
}
