// What the bot answers when it does not run a turn: someone not allowed, someone writing too
// fast, a message it cannot read. Each says why and what to do instead (never a silent drop).

/** What the bot says to someone not on telegram_allowed_users; their id is what the owner needs. */
export function refusal(userId: number): string {
  return `Sorry, this is a private Wactorz home assistant and you are not on its list of allowed users, so I can't help you here. If this is your home, add your Telegram user id ${userId} to telegram_allowed_users in the add-on's options.`;
}

export function rateRefusal(perMinute: number, waitSeconds: number): string {
  return `⏳ That's more than ${perMinute} messages a minute, so I'm pausing to protect your LLM budget. Try again in ${waitSeconds} s.`;
}

export const NOT_TEXT = "I can only read text messages for now; please type what you need.";

export const NO_IMAGES =
  "🖼️ Please send pictures as a photo, not as a file: I can look at photos, not at image documents.";
