// The task-plan cache: a decomposition is reused when the same task comes again within 24 h, so
// a repeat costs no planning call. Keyed by the normalised task (case, punctuation and spacing do
// not make a task new); an entry is dropped when an agent it relies on is gone, because replaying
// it would only fail step by step.
import type { Db } from '../../../store/database.ts';
import { TaskPlan } from './task-plan.ts';

export const PLAN_CACHE_TTL_MS = 24 * 3600 * 1000;

export function normalizeTask(task: string): string {
  return task
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export type CacheLookup =
  | { status: 'hit'; plan: TaskPlan; createdAt: number; hits: number }
  | { status: 'miss' }
  | { status: 'expired' }
  | { status: 'invalidated'; missing: string[] };

interface Row {
  key: string;
  plan: string;
  agents: string;
  created_at: number;
  hits: number;
}

export class PlanCache {
  #get;
  #put;
  #hit;
  #delete;
  #clear;
  #now: () => number;
  #ttlMs: number;

  constructor(db: Db, now: () => number, ttlMs = PLAN_CACHE_TTL_MS) {
    this.#now = now;
    this.#ttlMs = ttlMs;
    this.#get = db.prepare<[string], Row>('SELECT key, plan, agents, created_at, hits FROM planner_task_cache WHERE key = ?');
    this.#put = db.prepare(
      `INSERT INTO planner_task_cache (key, task, plan, agents, created_at, hits) VALUES (@key, @task, @plan, @agents, @now, 0)
       ON CONFLICT (key) DO UPDATE SET task = excluded.task, plan = excluded.plan, agents = excluded.agents, created_at = excluded.created_at, hits = 0, last_hit_at = NULL`,
    );
    this.#hit = db.prepare('UPDATE planner_task_cache SET hits = hits + 1, last_hit_at = ? WHERE key = ?');
    this.#delete = db.prepare('DELETE FROM planner_task_cache WHERE key = ?');
    this.#clear = db.prepare('DELETE FROM planner_task_cache');
  }

  /** A fresh plan whose required agents all still exist (`agentExists`), or why there is none. */
  lookup(task: string, agentExists: (name: string) => boolean): CacheLookup {
    const key = normalizeTask(task);
    const row = this.#get.get(key);
    if (!row) return { status: 'miss' };
    if (this.#now() - row.created_at >= this.#ttlMs) {
      this.#delete.run(key);
      return { status: 'expired' };
    }
    const missing = (JSON.parse(row.agents) as string[]).filter((a) => !agentExists(a));
    if (missing.length) {
      this.#delete.run(key);
      return { status: 'invalidated', missing };
    }
    const parsed = TaskPlan.safeParse(JSON.parse(row.plan));
    if (!parsed.success) {
      // Written by an older schema: worth a new plan, not an error.
      this.#delete.run(key);
      return { status: 'miss' };
    }
    this.#hit.run(this.#now(), key);
    return { status: 'hit', plan: parsed.data, createdAt: row.created_at, hits: row.hits + 1 };
  }

  save(task: string, plan: TaskPlan, requiredAgents: readonly string[]): void {
    this.#put.run({ key: normalizeTask(task), task, plan: JSON.stringify(plan), agents: JSON.stringify(requiredAgents), now: this.#now() });
  }

  /** Drops every cached plan (/clear-plans); returns how many there were. */
  clear(): number {
    return this.#clear.run().changes;
  }

  forget(task: string): boolean {
    return this.#delete.run(normalizeTask(task)).changes > 0;
  }
}
