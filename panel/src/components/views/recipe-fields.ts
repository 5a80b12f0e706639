// The fields of a recipe's spawn form, one per parameter of its schema: a checkbox for a boolean,
// a list for a parameter with named values, a text box otherwise (entity ids too: plain text,
// the catalog checks them). Each field's description is its hint and the server's refusal of it
// its error, both tied to the input with aria-describedby.
import { html, nothing, type TemplateResult } from 'lit';
import type { FieldValue, FormValues } from '../../data/recipe-form.ts';
import type { RecipeInfo, RecipeParameterInfo } from '../../data/types.ts';

export interface FieldsOptions {
  recipe: RecipeInfo;
  values: FormValues;
  errors: Record<string, string>;
  onChange: (key: string, value: FieldValue) => void;
}

const id = (key: string) => `param-${key}`;

export function recipeFields({ recipe, values, errors, onChange }: FieldsOptions): TemplateResult[] {
  return Object.entries(recipe.parameters).map(([key, p]) => {
    const error = errors[key];
    const described = `${id(key)}-hint${error ? ` ${id(key)}-error` : ''}`;
    const label = html`${key}${p.required ? html`<span aria-hidden="true"> *</span>` : nothing}`;
    return html`<div class="field" data-param=${key} ?data-invalid=${Boolean(error)}>
      ${p.type === 'boolean'
        ? html`<label class="check"><input id=${id(key)} type="checkbox" .checked=${values[key] === true} aria-describedby=${described} @change=${(e: Event) => onChange(key, (e.target as HTMLInputElement).checked)} />${label}</label>`
        : html`<label for=${id(key)}>${label}</label>${input(key, p, values[key], described, Boolean(error), onChange)}`}
      <div class="small muted" id=${`${id(key)}-hint`}>${p.description}${p.default !== undefined && p.default !== '' && p.type !== 'boolean' ? ` (default ${String(p.default)})` : ''}</div>
      ${error ? html`<div class="small error" id=${`${id(key)}-error`} data-error=${key}>${error}</div>` : nothing}
    </div>`;
  });
}

function input(key: string, p: RecipeParameterInfo, value: FieldValue | undefined, described: string, invalid: boolean, onChange: FieldsOptions['onChange']): TemplateResult {
  const text = typeof value === 'string' ? value : '';
  const changed = (e: Event) => onChange(key, (e.target as HTMLInputElement | HTMLSelectElement).value);
  if (p.enum) {
    return html`<select id=${id(key)} aria-describedby=${described} aria-invalid=${invalid ? 'true' : 'false'} .value=${text} @change=${changed}>
      ${p.required ? html`<option value="">Choose…</option>` : nothing}
      ${p.enum.map((v) => html`<option value=${String(v)} ?selected=${String(v) === text}>${String(v)}</option>`)}
    </select>`;
  }
  // Numbers are typed in a text box: the browser's number input would hide what was typed from
  // the server's check (it reports "" for "12a"), and the server's words are the ones to show.
  const numeric = p.type === 'number' || p.type === 'integer';
  return html`<input id=${id(key)} type="text" inputmode=${numeric ? 'decimal' : 'text'} autocomplete="off" spellcheck="false"
    aria-describedby=${described} aria-invalid=${invalid ? 'true' : 'false'} ?required=${p.required}
    placeholder=${p.default !== undefined ? String(p.default) : ''} .value=${text} @input=${changed} />`;
}
