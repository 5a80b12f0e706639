// An agent as the API shows it: the row of the Agents view and the body of GET /api/agents/:name.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const AgentState = z.enum(['created', 'running', 'paused', 'stopped', 'failed']);
export type AgentState = z.infer<typeof AgentState>;

export const AgentCommand = z.enum(['stop', 'pause', 'resume', 'restart']);
export type AgentCommand = z.infer<typeof AgentCommand>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

export const AgentLogLine = z.object({ at: IsoTime, level: LogLevel, message: z.string() });
export type AgentLogLine = z.infer<typeof AgentLogLine>;

export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  state: AgentState,
  node: z.string(),
  description: z.string(),
  last_heartbeat: IsoTime.nullable(),
  cost_usd: z.number(),
  messages_processed: z.number().int(),
  errors: z.number().int(),
  /** When the running instance started; a heartbeat is only overdue some time after this. */
  started_at: IsoTime.nullable(),
  /** Protected agents (main, monitor, the HA agents) refuse stop, pause and delete. */
  protected: z.boolean(),
  /**
   * The agent's newest log line when it is a warning or an error. An agent that catches its own
   * failures (a fetch that cannot resolve its host, logged and retried) keeps running with no
   * errors counted; this is what shows it is not well. Absent (or null) when there is none.
   */
  problem: AgentLogLine.nullable().optional(),
});
export type Agent = z.infer<typeof Agent>;

export const AgentDetail = Agent.extend({
  /** The newest lines first seen by the server, so the log view is not empty before live lines arrive. */
  recent_logs: z.array(AgentLogLine),
});
export type AgentDetail = z.infer<typeof AgentDetail>;

/** GET /api/agents/:name/grants: what the owner let a spawned agent's code do beyond the sandbox. */
export const AgentGrants = z.object({
  name: z.string(),
  /** e.g. ["ha:sensitive:lock.front_door"]. */
  grants: z.array(z.string()),
  /** The forms a grant may take, for the panel's form and for refusals. */
  valid_forms: z.array(z.string()),
});
export type AgentGrants = z.infer<typeof AgentGrants>;

/** PUT /api/agents/:name/grants/:grant. A sensitive grant needs `confirm: true` (the panel asks first). */
export const GrantBody = z.object({ confirm: z.boolean().optional() }).strict();
export type GrantBody = z.infer<typeof GrantBody>;

/**
 * GET /api/agents/:name/grants/:grant: the grant in its one spelling and what the agent's code will
 * be able to do with it, in words, so the panel's confirmation says exactly that before the PUT.
 * A string that is not a grant answers 400 with the valid forms (the same words as the PUT).
 */
export const GrantPreview = z.object({
  name: z.string(),
  grant: z.string(),
  /** e.g. "lock, unlock and open lock.front_door". */
  effect: z.string(),
  /** The PUT needs `confirm: true` for it. */
  needs_confirm: z.boolean(),
  /** The agent has it already. */
  granted: z.boolean(),
});
export type GrantPreview = z.infer<typeof GrantPreview>;
