// The Chat tab: the conversation list, the thread and the composer. Answers stream in over the
// live connection while the request runs; the final reply from the API replaces the streamed
// text, so a missed delta never leaves a wrong answer on screen. The thread looks like HA's Assist
// dialog: bubbles with a flat corner on the speaker's side, what happened during the turn as
// chips with an icon, dots while the answer has not started, a send button in the text field.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { conversationsCollection, fetchConversation, newConversationId, sendChat, type ChatEvent } from '../../data/chat.ts';
import { plansCollection } from '../../data/plans.ts';
import type { ConversationSummary, Plan } from '../../data/types.ts';
import { errorText, relative } from '../../format.ts';
import { renderMarkdown } from '../../markdown/render.ts';
import { CollectionController } from '../shared/collection-controller.ts';
import { baseStyles } from '../shared/styles.ts';
import { ICON } from '../../icons.ts';
import '../shared/icon.ts';
import { ACTIVITY_ICON, activityOf, itemsFromHistory, shownItems, type ThreadItem } from './chat-thread.ts';
import { markdownStyles } from './markdown-styles.ts';
import './proposal-card.ts';

/**
 * The conversation open in this browser tab. The view is rebuilt each time its tab is shown, so
 * without this a person who looked at Rules and came back would find a new, empty conversation
 * and their "yes" or "use 30 minutes instead" would go nowhere. Session storage: per tab, gone
 * with it; a storage the iframe may not use just means starting fresh.
 */
const OPEN_KEY = 'wactorz.chat.open';
function rememberOpen(id: string | undefined): void {
  try {
    if (id) sessionStorage.setItem(OPEN_KEY, id);
    else sessionStorage.removeItem(OPEN_KEY);
  } catch {
    // No session storage in this frame: nothing to remember with.
  }
}
function rememberedOpen(): string | undefined {
  try {
    return sessionStorage.getItem(OPEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

@customElement('wz-chat-view')
export class WzChatView extends LitElement {
  @state() private accessor _items: ThreadItem[] = [];
  @state() private accessor _conversation: string | undefined = undefined;
  @state() private accessor _busy = false;
  @state() private accessor _draft = '';
  private readonly _list = new CollectionController(this, conversationsCollection);
  private readonly _plans = new CollectionController(this, plansCollection);

  static override styles = [
    baseStyles,
    markdownStyles,
    css`
      .layout { display: grid; grid-template-columns: 240px 1fr; gap: 16px; height: calc(100vh - 136px); min-height: 360px; }
      .list { overflow-y: auto; padding: 8px; display: flex; flex-direction: column; gap: 2px; }
      .list button { display: flex; flex-direction: column; align-items: stretch; width: 100%; text-align: left; border: none; color: var(--primary-text-color); font-weight: 400; border-radius: 8px; padding: 6px 12px; }
      .list button[data-action='new-conversation'] { flex-direction: row; justify-content: flex-start; color: var(--primary-color); font-weight: 500; white-space: nowrap; }
      .list button[aria-current='true'] { background: color-mix(in srgb, var(--primary-color) 15%, transparent); }
      .list .title { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .thread-card { display: flex; flex-direction: column; padding: 0; overflow: hidden; }
      .thread { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 8px; }
      .bubble { max-width: 85%; padding: 8px 12px; border-radius: 15px; overflow-wrap: anywhere; font-size: 16px; line-height: 1.45; }
      .user { align-self: flex-end; margin-left: 24px; border-bottom-right-radius: 0; background: var(--primary-color); color: var(--text-primary-color); white-space: pre-wrap; }
      .assistant { align-self: flex-start; margin-right: 24px; border-bottom-left-radius: 0; background: var(--secondary-background-color); }
      .assistant.streaming:not(.waiting) > :last-child::after { content: '▍'; opacity: 0.6; }
      /* Before the first word: three dots, as Assist shows while it thinks. */
      .waiting { display: inline-flex; gap: 4px; padding: 14px 16px; }
      .waiting span { width: 6px; height: 6px; border-radius: 50%; background: var(--secondary-text-color); animation: blink 1.2s infinite ease-in-out both; }
      .waiting span:nth-child(2) { animation-delay: 0.2s; }
      .waiting span:nth-child(3) { animation-delay: 0.4s; }
      @keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
      @media (prefers-reduced-motion: reduce) { .waiting span { animation: none; opacity: 0.6; } }
      .activity {
        align-self: flex-start; display: inline-flex; align-items: center; gap: 6px; max-width: 85%;
        padding: 4px 12px 4px 8px; border-radius: 8px; font-size: 13px; line-height: 18px; --wz-icon-size: 18px;
        border: 1px solid var(--divider-color); color: var(--secondary-text-color); overflow-wrap: anywhere;
      }
      .activity wz-icon { color: var(--primary-color); }
      .activity[data-kind='actuation'] wz-icon { color: var(--warning-color); }
      .activity.error, .activity.error wz-icon { color: var(--error-color); border-color: color-mix(in srgb, var(--error-color) 40%, transparent); }
      wz-proposal-card { align-self: stretch; }
      form { display: flex; align-items: flex-end; gap: 8px; margin: 8px 16px 16px; padding: 4px 4px 4px 16px; border-radius: 24px; background: var(--secondary-background-color); }
      form:focus-within { outline: 2px solid var(--primary-color); }
      textarea {
        flex: 1; resize: none; font: inherit; font-size: 16px; padding: 10px 0; min-height: 24px; max-height: 160px;
        border: none; outline: none; background: transparent; color: var(--primary-text-color);
      }
      form button.icon { color: var(--primary-color); }
      form button.icon[disabled] { color: var(--disabled-text-color); }
      @media (max-width: 700px) {
        .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; gap: 8px; height: calc(100vh - 120px); }
        .list { flex-direction: row; gap: 4px; overflow-x: auto; padding: 4px; }
        .list button { width: auto; max-width: 160px; flex: none; margin: 0; }
        .list .when { display: none; }
        .bubble { max-width: 92%; }
        .thread { padding: 8px; }
        form { margin: 8px; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    const open = rememberedOpen();
    if (open && this._conversation === undefined) void this._reopen(open);
  }

  /** Back to the conversation this tab had open; one that no longer exists starts a new one. */
  private async _reopen(id: string): Promise<void> {
    this._conversation = id;
    try {
      this._items = itemsFromHistory((await fetchConversation(id)).messages);
    } catch {
      if (this._conversation === id && this._items.length === 0) {
        this._conversation = undefined;
        rememberOpen(undefined);
      }
    }
  }

  private _plan(plan: Plan): Plan {
    return this._plans.data?.find((p) => p.id === plan.id) ?? plan;
  }

  private async _open(c: ConversationSummary | undefined): Promise<void> {
    if (this._busy) return;
    this._conversation = c?.id;
    rememberOpen(c?.id);
    this._items = [];
    if (!c) return;
    try {
      this._items = itemsFromHistory((await fetchConversation(c.id)).messages);
    } catch (err) {
      this._items = [{ kind: 'error', text: errorText(err) }];
    }
  }

  /** Streams into the last assistant item; activity is shown before the text it explains. */
  private _onEvent(e: ChatEvent): void {
    const items = [...this._items];
    const idx = items.findLastIndex((i) => i.kind === 'assistant');
    const current = items[idx];
    if (current?.kind !== 'assistant') return;
    switch (e.type) {
      case 'delta':
        items[idx] = { ...current, text: current.text + e.text };
        break;
      case 'proposal':
        items.push({ kind: 'proposal', plan: e.plan });
        break;
      case 'done':
        items[idx] = { ...current, text: e.reply, agent: e.agent, streaming: false };
        break;
      case 'error':
        items.push({ kind: 'error', text: e.message });
        break;
      default: {
        const activity = activityOf(e);
        if (activity) items.splice(current.text ? items.length : idx, 0, { kind: 'activity', activity });
      }
    }
    this._items = items;
  }

  private async _send(e?: Event): Promise<void> {
    e?.preventDefault();
    const text = this._draft.trim();
    if (!text || this._busy) return;
    const id = this._conversation ?? newConversationId();
    this._conversation = id;
    rememberOpen(id);
    this._draft = '';
    this._busy = true;
    this._items = [...this._items, { kind: 'user', text }, { kind: 'assistant', text: '', agent: 'main', streaming: true }];
    try {
      const res = await sendChat(text, id, (ev) => this._onEvent(ev));
      const items = [...this._items];
      const idx = items.findLastIndex((i) => i.kind === 'assistant');
      items[idx] = { kind: 'assistant', text: res.reply, agent: res.agent, streaming: false };
      this._items = items;
    } catch (err) {
      const items = this._items.filter((i, n) => !(i.kind === 'assistant' && i.streaming && !i.text && n === this._items.length - 1));
      this._items = [...items.map((i) => (i.kind === 'assistant' ? { ...i, streaming: false } : i)), { kind: 'error', text: errorText(err) }];
    } finally {
      this._busy = false;
    }
  }

  private _onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) void this._send(e);
  }

  override updated(): void {
    const thread = this.renderRoot.querySelector('.thread');
    thread?.scrollTo({ top: thread.scrollHeight });
  }

  private _item(i: ThreadItem) {
    switch (i.kind) {
      case 'user':
        return html`<div class="bubble user" data-role="user">${i.text}</div>`;
      case 'assistant':
        if (i.streaming && !i.text) {
          return html`<div class="bubble assistant streaming waiting" data-role="assistant" data-streaming="true" role="status" aria-label="Wactorz is answering">
            <span></span><span></span><span></span>
          </div>`;
        }
        return html`<div class="bubble assistant markdown ${i.streaming ? 'streaming' : ''}" data-role="assistant" data-streaming=${i.streaming}>
          ${renderMarkdown(i.text)}
        </div>`;
      case 'activity':
        return html`<div class="activity" data-role="activity" data-kind=${i.activity.kind}>
          <wz-icon .path=${ACTIVITY_ICON[i.activity.kind]}></wz-icon><span>${i.activity.text}</span>
        </div>`;
      case 'proposal':
        return html`<wz-proposal-card .plan=${this._plan(i.plan)}></wz-proposal-card>`;
      case 'error':
        return html`<div class="activity error" data-role="error" role="alert"><wz-icon .path=${ICON.error}></wz-icon><span>${i.text}</span></div>`;
    }
  }

  override render() {
    const conversations = this._list.data ?? [];
    return html`<div class="layout">
      <nav class="card list" aria-label="Conversations">
        <button data-action="new-conversation" ?disabled=${this._busy} @click=${() => this._open(undefined)}><wz-icon .path=${ICON.add}></wz-icon>New conversation</button>
        ${conversations.map(
          (c) => html`<button aria-current=${c.id === this._conversation} ?disabled=${this._busy} @click=${() => this._open(c)}>
            <span class="title">${c.title}</span><span class="when small muted">${relative(c.updated_at, Date.now())}</span>
          </button>`,
        )}
      </nav>
      <section class="card thread-card">
        <div class="thread" aria-live="polite">
          ${this._items.length === 0 ? html`<div class="empty">Ask about your home, control devices, or describe an automation.</div>` : nothing}
          ${shownItems(this._items).map((i) => this._item(i))}
        </div>
        <form @submit=${(e: Event) => this._send(e)}>
          <textarea
            rows="1"
            placeholder="Message Wactorz…"
            aria-label="Message"
            .value=${this._draft}
            @input=${(e: Event) => (this._draft = (e.target as HTMLTextAreaElement).value)}
            @keydown=${(e: KeyboardEvent) => this._onKey(e)}
          ></textarea>
          <button class="icon" type="submit" aria-label="Send" title="Send" ?disabled=${this._busy || !this._draft.trim()}><wz-icon .path=${ICON.send}></wz-icon></button>
        </form>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wz-chat-view': WzChatView;
  }
}
