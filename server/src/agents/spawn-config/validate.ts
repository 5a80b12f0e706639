// One entry point for "is this a spawn config?": spawn blocks, tool calls, catalog recipes and
// registry restores all come through here, so every path gets the same leniency, the same
// refusals and the same error wording.
import type { z } from 'zod';
import { getPath } from '../../bus/topic-bus/dotted-path.ts';
import type { SpawnConfig } from './config-schema.ts';
import { VARIANTS } from './config-schema.ts';
import { normalizeSpawnInput, type SpawnIssue } from './normalize.ts';

export type SpawnValidation =
  | { ok: true; config: SpawnConfig; warnings: string[] }
  | { ok: false; error: string; issues: SpawnIssue[]; warnings: string[]; name?: string };

export function validateSpawnConfig(input: unknown): SpawnValidation {
  const normalized = normalizeSpawnInput(input);
  const name = nameOf(input);
  if (!normalized.ok) return failure(normalized.issues, normalized.warnings, name);
  const { type, value, warnings } = normalized;
  const parsed = VARIANTS[type].safeParse(value);
  if (!parsed.success) return failure(parsed.error.issues.map((i) => toSpawnIssue(i, value)), warnings, name);
  return { ok: true, config: parsed.data, warnings };
}

function failure(issues: SpawnIssue[], warnings: string[], name: string | undefined): SpawnValidation {
  const who = name ? `spawn "${name}"` : 'spawn';
  const error = `${who} rejected: ${issues.map(formatIssue).join('; ')}`;
  return name ? { ok: false, error, issues, warnings, name } : { ok: false, error, issues, warnings };
}

export function formatIssue(issue: SpawnIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** `actions.0.service` -> `actions[0].service`, the way people write paths into JSON. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function toSpawnIssue(issue: z.core.$ZodIssue, value: Record<string, unknown>): SpawnIssue {
  const path = formatPath(issue.path);
  const actual = getPath(value, issue.path.map(String).join('.'));
  if (actual === undefined && issue.code === 'invalid_type') return { path, message: `is required (${issue.expected})` };
  let message = issue.message;
  if (issue.code === 'invalid_union' && path.startsWith('detection_filter')) {
    message = 'expected a literal (string, number, boolean, null) or an operator object like {"gte": 0.7} with eq, ne, gt, lt, gte, lte';
  } else if (issue.code === 'invalid_union' && path === 'schedule') {
    message = 'expected {kind: daily|weekly|interval|once|cron|sun, ...}';
  }
  if (actual !== undefined && !/received/i.test(message)) message += ` (got ${preview(actual)})`;
  return { path, message };
}

function preview(value: unknown): string {
  if (typeof value === 'string' && value.length > 60) return `a string of ${value.length} characters`;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function nameOf(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const n = (input as Record<string, unknown>).name;
  return typeof n === 'string' && n.trim() ? n.trim().slice(0, 64) : undefined;
}
