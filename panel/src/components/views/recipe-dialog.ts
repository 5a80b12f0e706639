// "New agent from a recipe": the catalogue with each recipe's description, a form from the chosen
// recipe's parameters, and Spawn after the panel's confirmation, through the catalog's spawn path
// (POST /api/recipes/:recipe/spawn). A refusal stays in the dialog, on the field it is about.
// Recipes that failed to load are listed, collapsed, with the catalog's reason for each.
// Keyboard: focus moves into the dialog when it opens and back to the opener when it closes;
// Tab stays inside it; Escape closes it; the recipe list is a set of toggle buttons.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError } from '../../data/api.ts';
import { initialValues, nameProblem, spawnRequest, splitServerErrors, type FieldValue, type FormValues } from '../../data/recipe-form.ts';
import { fetchBrokenRecipes, fetchRecipes, spawnRecipe } from '../../data/recipes.ts';
import type { BrokenRecipeInfo, RecipeInfo } from '../../data/types.ts';
import { errorText } from '../../format.ts';
import { confirmAction } from '../shared/confirm-dialog.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { baseStyles } from '../shared/styles.ts';
import { recipeFields } from './recipe-fields.ts';

@customElement('wz-recipe-dialog')
export class WzRecipeDialog extends LitElement {
  @state() private accessor _open = false;
  @state() private accessor _recipes: RecipeInfo[] | undefined = undefined;
  @state() private accessor _broken: BrokenRecipeInfo[] = [];
  @state() private accessor _chosen: RecipeInfo | undefined = undefined;
  @state() private accessor _values: FormValues = {};
  @state() private accessor _name = '';
  @state() private accessor _fieldErrors: Record<string, string> = {};
  @state() private accessor _error: string | undefined = undefined;
  @state() private accessor _busy = false;
  private _opener: HTMLElement | undefined;
  private readonly _loading = new LatestRequest(this);

  static override styles = [
    baseStyles,
    css`
      .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.45); display: flex; align-items: center; justify-content: center; z-index: 9; padding: 16px; }
      .dialog { width: 100%; max-width: 720px; max-height: calc(100vh - 32px); overflow: auto; }
      .body { display: grid; grid-template-columns: minmax(180px, 240px) 1fr; gap: 16px; margin-top: 12px; }
      @media (max-width: 600px) { .body { grid-template-columns: 1fr; } }
      .recipes { display: flex; flex-direction: column; gap: 8px; margin: 0; padding: 0; list-style: none; }
      .recipes button { width: 100%; justify-content: flex-start; text-align: left; border-radius: 8px; padding: 8px 12px; flex-direction: column; align-items: flex-start; gap: 2px; color: var(--primary-text-color); font-weight: 400; }
      .recipes button[aria-pressed='true'] { border-color: var(--primary-color); background: color-mix(in srgb, var(--primary-color) 12%, transparent); }
      .recipes .title { font-weight: 500; }
      /* The list only reminds; the chosen recipe's whole description is shown above its form. */
      .recipes .small { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
      form { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
      .field { display: flex; flex-direction: column; gap: 4px; }
      .field label { font-weight: 500; }
      .field label.check { display: flex; align-items: center; gap: 8px; }
      .field input[type='text'], .field select { font: inherit; padding: 6px 10px; border-radius: 6px; border: 1px solid var(--divider-color); background: var(--card-background-color); color: var(--primary-text-color); min-width: 0; }
      .field[data-invalid] input, .field[data-invalid] select { border-color: var(--error-color); }
      input:focus-visible, select:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 1px; }
      .chip { margin-right: 4px; }
      details.broken { margin-top: 12px; }
      details.broken summary { cursor: pointer; color: var(--warning-color); font-weight: 500; }
      details.broken ul { margin: 8px 0 0; padding-left: 20px; }
      details.broken li { overflow-wrap: anywhere; }
    `,
  ];

  /** Opens the dialog; focus returns to `opener` when it closes. */
  show(opener?: HTMLElement): void {
    this._opener = opener;
    this._open = true;
    this._error = undefined;
    if (!this._recipes) void this._load();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.recipes button, [data-close]')?.focus());
  }

  private async _load(): Promise<void> {
    const signal = this._loading.next();
    try {
      // The broken list only informs: failing to read it must not keep the working recipes away.
      const [recipes, broken] = await Promise.all([fetchRecipes(signal), fetchBrokenRecipes(signal).catch(() => [])]);
      this._recipes = recipes;
      this._broken = broken;
      await this.updateComplete;
      if (this._open && !this._chosen) this.renderRoot.querySelector<HTMLElement>('.recipes button')?.focus();
    } catch (err) {
      if (!signal.aborted) this._error = errorText(err);
    }
  }

  private _close(): void {
    this._open = false;
    this._chosen = undefined;
    this._fieldErrors = {};
    this._error = undefined;
    this._opener?.focus();
  }

  private _choose(r: RecipeInfo): void {
    this._chosen = r;
    this._values = initialValues(r);
    this._name = '';
    this._fieldErrors = {};
    this._error = undefined;
  }

  private _change(key: string, value: FieldValue): void {
    this._values = { ...this._values, [key]: value };
    if (this._fieldErrors[key]) {
      const { [key]: _gone, ...rest } = this._fieldErrors;
      this._fieldErrors = rest;
    }
  }

  private async _spawn(e: Event): Promise<void> {
    e.preventDefault();
    const recipe = this._chosen;
    if (!recipe || this._busy) return;
    const bad = nameProblem(this._name);
    if (bad) {
      this._error = `Agent name: ${bad}`;
      return;
    }
    const request = spawnRequest(recipe, this._values, this._name);
    const agent = request.name ?? recipe.name;
    const scopes = recipe.scopes.length ? ` It may use: ${recipe.scopes.join(', ')}.` : '';
    if (!(await confirmAction(`Spawn the recipe "${recipe.title}" as the agent "${agent}"?${scopes}`, 'Spawn'))) return;
    this._busy = true;
    this._error = undefined;
    this._fieldErrors = {};
    try {
      const result = await spawnRecipe(recipe.name, request);
      // An agent of that name already ran and was kept: nothing new started, so say so here.
      if (result.status === 'reused') this._error = `An agent named "${result.agent}" already runs, so nothing new was started. Give this one another name.`;
      else this._close();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.code !== 'invalid_request') {
        const split = splitServerErrors(err.message, recipe);
        this._fieldErrors = split.fields;
        this._error = split.general.length ? split.general.join('; ') : undefined;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[data-invalid] input, [data-invalid] select')?.focus();
      } else {
        this._error = errorText(err);
      }
    } finally {
      this._busy = false;
    }
  }

  private readonly _onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !this._busy) {
      e.stopPropagation();
      this._close();
    } else if (e.key === 'Tab') {
      // Keep Tab inside the modal dialog (aria-modal): wrap at both ends.
      const items = [...this.renderRoot.querySelectorAll<HTMLElement>('button:not([disabled]), input, select, summary')];
      const first = items[0];
      const last = items.at(-1);
      const active = (this.renderRoot as ShadowRoot).activeElement;
      if (e.shiftKey && active === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  };

  override render() {
    if (!this._open) return nothing;
    return html`<div class="backdrop" @click=${(e: Event) => e.target === e.currentTarget && !this._busy && this._close()} @keydown=${this._onKey}>
      <div class="card dialog" role="dialog" aria-modal="true" aria-labelledby="recipe-title">
        <div class="row">
          <h2 id="recipe-title">New agent from a recipe</h2>
          <span class="spacer"></span>
          <button data-close ?disabled=${this._busy} @click=${() => this._close()}>Cancel</button>
        </div>
        ${this._error ? html`<div class="error" role="alert" data-field="error">${this._error}</div>` : nothing}
        ${this._brokenList()}
        ${this._recipes ? this._body(this._recipes) : this._error ? nothing : html`<div class="empty">Loading recipes…</div>`}
      </div>
    </div>`;
  }

  /** Collapsed: the owner opens it to see why each recipe folder was refused. */
  private _brokenList() {
    const broken = this._broken;
    if (broken.length === 0) return nothing;
    return html`<details class="broken small" data-field="broken-recipes">
      <summary>${broken.length === 1 ? '1 recipe could not be loaded' : `${broken.length} recipes could not be loaded`}</summary>
      <ul>
        ${broken.map((b) => html`<li data-broken=${b.name}><strong>${b.name}</strong> <span class="muted">(${b.source === 'owner' ? 'yours' : 'bundled'})</span>: ${b.reason}</li>`)}
      </ul>
      <div class="muted">Fix the recipe, then send <code>@catalog reload</code> in Chat.</div>
    </details>`;
  }

  private _body(recipes: RecipeInfo[]) {
    if (recipes.length === 0) return html`<div class="empty">The catalogue has no recipes.</div>`;
    const r = this._chosen;
    return html`<div class="body">
      <ul class="recipes" aria-label="Recipes">
        ${recipes.map(
          (x) => html`<li><button type="button" data-recipe=${x.name} aria-pressed=${x === r ? 'true' : 'false'} @click=${() => this._choose(x)}>
            <span class="title">${x.title}</span><span class="small muted">${x.description}</span>
          </button></li>`,
        )}
      </ul>
      ${r
        ? html`<form data-form=${r.name} @submit=${(e: Event) => this._spawn(e)} novalidate>
            <div>
              <div class="small muted">${r.description}</div>
              <div class="row small">${r.tags.map((t) => html`<span class="chip">${t}</span>`)}</div>
            </div>
            <div class="field">
              <label for="agent-name">Agent name</label>
              <input id="agent-name" type="text" autocomplete="off" spellcheck="false" placeholder=${r.name} aria-describedby="agent-name-hint" .value=${this._name} @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} />
              <div class="small muted" id="agent-name-hint">Leave empty to name it ${r.name}; a different name runs another instance.</div>
            </div>
            ${recipeFields({ recipe: r, values: this._values, errors: this._fieldErrors, onChange: (k, v) => this._change(k, v) })}
            <div class="row"><span class="spacer"></span><button class="primary" type="submit" data-action="spawn" ?disabled=${this._busy}>${this._busy ? 'Spawning…' : 'Spawn'}</button></div>
          </form>`
        : html`<div class="empty">Choose a recipe to see its settings.</div>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-recipe-dialog': WzRecipeDialog;
  }
}
