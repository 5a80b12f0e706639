// /api/integration/*: what the companion HA integration calls besides the ordinary API. Behind
// the same access guard; only programmatic callers (the integration's own token, the API key,
// the standalone loopback mode) are served, since a request here speaks for an HA user named in
// its body, which only the integration may do. An Assist turn streams as NDJSON: the turn's
// ChatEvents as they happen, then one `end` line saying whether Assist should keep listening.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../../http/access.ts';
import { HttpError } from '../../http/errors.ts';
import { jsonSchema } from '../../http/schema.ts';
import { contextOf, need, responses } from '../../http/routes/support.ts';
import type { IntegrationConfig } from '../../config/types.ts';
import { Slug } from '../../contract/common.ts';
import type { ChatEvent } from '../../contract/chat.ts';
import {
  AgentTaskRequest,
  AgentTaskResponse,
  AiTaskRequest,
  AiTaskResponse,
  ConversationRequest,
  IntegrationInfo,
  RecipeSpawnRequest,
  RecipeSpawnResponse,
  type ConversationEnd,
} from '../../contract/integration.ts';
import type { ChatService } from '../../contract/services.ts';
import { runTurn } from '../mcp/turn.ts';
import { parseLlmJson } from '../../agents/ha/llm-json.ts';
import type { TurnRunner } from '../channels/channel.ts';
import { runAiTask, type AiTaskLlm } from './ai-task.ts';
import { assistTurn } from './assist-turn.ts';

export interface IntegrationRouteOptions {
  info: () => IntegrationInfo;
  runner: () => TurnRunner | undefined;
  chat: () => ChatService | undefined;
  llm: AiTaskLlm | undefined;
  policy: Pick<IntegrationConfig, 'nonAdmin' | 'limitedDevices'>;
  /** Turns and tasks per caller per minute (each may cost LLM money). */
  perMinute?: number;
}

const NameParams = z.object({ name: Slug });
const SpawnOutcome = z.object({ name: z.string(), status: z.enum(['spawned', 'reused', 'replaced']) });
const RecipeParams = z.object({ recipe: z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9-]*$/) });

/** The integration speaks for HA users; a person in the panel (ingress) does not use this API. */
function programmatic(request: FastifyRequest): void {
  const caller = callerOf(request);
  if (caller.via === 'ingress') throw new HttpError(403, 'integration_only', 'This API is for the companion Home Assistant integration (its token or the API key)');
}

export function integrationRoutes(opts: IntegrationRouteOptions): FastifyPluginAsync {
  const perMinute = opts.perMinute ?? 30;
  const limited = { rateLimit: { max: perMinute, timeWindow: 60_000 } };
  return async (app) => {
    app.addHook('onRequest', async (request) => programmatic(request));

    app.get('/api/integration/info', { schema: { response: responses(IntegrationInfo) } }, () => opts.info());

    app.post<{ Body: ConversationRequest }>('/api/integration/conversation', { bodyLimit: 32 * 1024, config: limited, schema: { body: jsonSchema(ConversationRequest) } }, async (req, reply) => {
      const runner = need(opts.runner(), 'Chat');
      const turn = assistTurn(req.body, opts.policy, contextOf(req, reply).signal);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      const line = (value: ChatEvent | ConversationEnd) => out.write(`${JSON.stringify(value)}\n`);
      let awaiting = false;
      try {
        for await (const ev of runner.process(req.body.text, turn)) {
          line(ev);
          if (ev.type === 'done') awaiting = ev.awaiting !== undefined;
        }
      } catch (err) {
        req.log.warn({ err }, 'integration conversation turn failed');
        line({ type: 'error', code: 'turn_failed', message: `Wactorz could not answer: ${err instanceof Error ? err.message : String(err)}` });
      }
      line({ type: 'end', conversation_id: turn.conversationId, continue_conversation: awaiting });
      out.end();
    });

    app.post<{ Body: AiTaskRequest }>('/api/integration/ai_task', { bodyLimit: 20 * 1024 * 1024, config: limited, schema: { body: jsonSchema(AiTaskRequest), response: responses(AiTaskResponse) } }, async (req, reply) => {
      const llm = need(opts.llm, 'The LLM layer');
      return runAiTask(llm, req.body, contextOf(req, reply).signal);
    });

    app.post<{ Params: z.infer<typeof NameParams>; Body: z.infer<typeof AgentTaskRequest> }>(
      '/api/integration/agents/:name/task',
      { bodyLimit: 64 * 1024, config: limited, schema: { params: jsonSchema(NameParams), body: jsonSchema(AgentTaskRequest), response: responses(AgentTaskResponse) } },
      async (req, reply) => {
        const payload = req.body.payload;
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null);
        const r = await runTurn(opts.chat(), text, contextOf(req, reply), req.params.name);
        return { agent: r.agent, result: r.reply, conversation_id: r.conversation_id };
      },
    );

    app.post<{ Params: z.infer<typeof RecipeParams>; Body: z.infer<typeof RecipeSpawnRequest> }>(
      '/api/integration/recipes/:recipe/spawn',
      { bodyLimit: 16 * 1024, config: limited, schema: { params: jsonSchema(RecipeParams), body: jsonSchema(RecipeSpawnRequest), response: responses(RecipeSpawnResponse) } },
      async (req, reply) => {
        // The catalog agent's own spawn path, so the recipe runs with the scopes it declares.
        const task = JSON.stringify({ action: 'spawn', recipe: req.params.recipe, ...(req.body.name ? { name: req.body.name } : {}), ...(req.body.params ? { params: req.body.params } : {}) });
        const r = await runTurn(opts.chat(), task, contextOf(req, reply), 'catalog');
        // The catalog agent answers with its spawn outcome as JSON ({status, name}); any other answer is its refusal.
        const answer = parseLlmJson(r.reply);
        const outcome = SpawnOutcome.safeParse(answer.ok ? answer.value : undefined);
        if (!outcome.success) throw new HttpError(422, 'spawn_failed', r.reply);
        return { recipe: req.params.recipe, agent: outcome.data.name, status: outcome.data.status, reply: r.reply };
      },
    );
  };
}
