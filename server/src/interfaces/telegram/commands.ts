// The command menu Telegram shows when a person types "/" (setMyCommands), taken from the
// orchestrator's own slash commands so the two never drift, and the greeting for Telegram's
// `/start`. Telegram accepts only lowercase letters, digits and underscores in a menu entry, so
// `/clear-plans` and the like still work when typed but are not listed.
import type { BotCommand } from 'grammy/types';
import { defaultCommands } from '../../agents/main/commands/index.ts';

const MENU_NAME = /^[a-z0-9_]{1,32}$/;

export function commandMenu(): BotCommand[] {
  return defaultCommands()
    .list()
    .filter((c) => MENU_NAME.test(c.name))
    .map((c) => ({ command: c.name, description: c.summary.slice(0, 256) }));
}

export function greeting(name: string | undefined): string {
  return `👋 Hi${name ? ` ${name}` : ''}! I'm Wactorz, your home's assistant. Ask me about your home in your own words ("turn off the kitchen lights", "is the front door locked?"), or use one of these commands:`;
}
