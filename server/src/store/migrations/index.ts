// Every schema migration, by version. Each area of the server owns a block of versions and its
// own file (core 1xx, llm 2xx, orchestrator 5xx, planner 6xx, edge 7xx, bus 8xx; 3xx and 4xx are free),
// so adding a table never renumbers another area's migrations.
import { BUS_MIGRATIONS } from './bus.ts';
import { CORE_MIGRATIONS } from './core.ts';
import { EDGE_MIGRATIONS } from './edge.ts';
import { LLM_MIGRATIONS } from './llm.ts';
import { ORCHESTRATOR_MIGRATIONS } from './orchestrator.ts';
import { PLANNER_MIGRATIONS } from './planner.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [...CORE_MIGRATIONS, ...LLM_MIGRATIONS, ...ORCHESTRATOR_MIGRATIONS, ...PLANNER_MIGRATIONS, ...EDGE_MIGRATIONS, ...BUS_MIGRATIONS];
