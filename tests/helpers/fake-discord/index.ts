export { FakeDiscord, startFakeDiscord, FAKE_DISCORD_TOKEN, type FakeDiscordOptions, type FakeInteraction } from './server.ts';
export type { FakeChannel, FakeMessage, FakeUser } from './payloads.ts';
export type { RestCall } from './rest.ts';
