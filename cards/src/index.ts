// The module Home Assistant loads on every dashboard page (the companion integration registers it
// as an extra frontend module): defines both cards once and lists them in the card picker.
import type { CustomCardEntry } from './hass.ts';
import { WactorzChatCard } from './chat-card.ts';
import { WactorzRulesCard } from './rules-card.ts';

const CARDS: readonly [string, CustomElementConstructor, Omit<CustomCardEntry, 'type'>][] = [
  ['wactorz-chat-card', WactorzChatCard, { name: 'Wactorz chat', description: 'Talk with Wactorz: ask, control devices, create rules.' }],
  ['wactorz-rules-card', WactorzRulesCard, { name: 'Wactorz rules', description: "Wactorz's rules with their status and an enable switch." }],
];

// The module may load twice (the integration's URL and a dashboard resource added by hand):
// defining an element twice throws, and a card listed twice shows twice in the picker.
function defineCards(): void {
  for (const [tag, element, entry] of CARDS) {
    if (customElements.get(tag)) continue;
    customElements.define(tag, element);
    window.customCards ??= [];
    window.customCards.push({ type: tag, preview: false, documentationURL: 'https://github.com/waldiez/wactorz-homeassistant/blob/main/DOCS.md#dashboard-cards', ...entry });
  }
}

// HA's app swaps window.customElements for a scoped-registry polyfill when it starts, and an
// element defined in the browser's own registry before that stays unknown to the dashboard
// ("Configuration error"). Imported beside the app, this module may run first: on HA's page it
// waits for the app's own <home-assistant> element, defined once the polyfill is in place.
if (document.querySelector('home-assistant') && !customElements.get('home-assistant')) {
  void customElements.whenDefined('home-assistant').then(defineCards);
} else {
  defineCards();
}

declare global {
  interface HTMLElementTagNameMap {
    'wactorz-chat-card': WactorzChatCard;
    'wactorz-rules-card': WactorzRulesCard;
  }
}
