// The spawn form's model: the values a recipe's parameters start with, the request the form
// sends, and the server's refusal split onto the fields it names. The form checks nothing itself
// beyond the agent name's shape: the catalog's own checks (resolveParams) are the one source of
// truth, and their words are shown next to the field they are about.
import type { RecipeInfo, RecipeParameterInfo, RecipeSpawnRequest } from './types.ts';

/** What a field holds: text for text and number inputs (sent as typed), a boolean for checkboxes. */
export type FieldValue = string | boolean;
export type FormValues = Record<string, FieldValue>;

/** The shape the server accepts for an agent's name (contract Slug), checked before sending. */
export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function initialValues(recipe: RecipeInfo): FormValues {
  const out: FormValues = {};
  for (const [key, p] of Object.entries(recipe.parameters)) {
    out[key] = p.type === 'boolean' ? p.default === true : p.default === undefined ? '' : String(p.default);
  }
  return out;
}

/**
 * The spawn request. A field left empty is left out, so the recipe's default applies (or the
 * server names it as required); numbers go as typed and the catalog reads them.
 */
export function spawnRequest(recipe: RecipeInfo, values: FormValues, name: string): RecipeSpawnRequest {
  const params: Record<string, string | number | boolean> = {};
  for (const [key, p] of Object.entries(recipe.parameters)) {
    const v = values[key];
    if (v === undefined) continue;
    if (typeof v === 'boolean') {
      params[key] = v;
      continue;
    }
    const text = v.trim();
    if (text === '') continue;
    params[key] = isNumeric(p) && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  const trimmed = name.trim();
  return { ...(trimmed ? { name: trimmed } : {}), params };
}

function isNumeric(p: RecipeParameterInfo): boolean {
  return p.type === 'number' || p.type === 'integer';
}

export function nameProblem(name: string): string | undefined {
  const t = name.trim();
  if (t === '') return undefined;
  if (t.length > 64) return 'At most 64 characters.';
  return AGENT_NAME.test(t) ? undefined : 'Letters, digits, "-", "_" and "." only, starting with a letter or digit.';
}

export interface SplitErrors {
  /** Messages about one parameter, by its key. */
  fields: Record<string, string>;
  /** Whatever names no parameter (an unknown recipe, a name already taken, the server gone). */
  general: string[];
}

/**
 * The catalog refuses with `recipe: "key" must be a number, got "x"; "other" is required: ...`.
 * Each `;`-separated problem that quotes a parameter's key goes to that field.
 */
export function splitServerErrors(message: string, recipe: RecipeInfo): SplitErrors {
  const keys = Object.keys(recipe.parameters);
  // Through chat the refusal may carry a prefix before the catalog's `recipe: ` (an icon, "catalog:").
  const lead = `${recipe.name}: `;
  const at = message.indexOf(lead);
  const body = at >= 0 ? message.slice(at + lead.length) : message;
  const out: SplitErrors = { fields: {}, general: [] };
  for (const part of body.split(/;\s+/)) {
    const key = keys.find((k) => part.includes(`"${k}"`));
    if (key && !part.startsWith('unknown parameter')) out.fields[key] = out.fields[key] ? `${out.fields[key]}; ${part}` : part;
    else out.general.push(part);
  }
  return out;
}
