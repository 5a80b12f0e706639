export { FakeLlmServer, startFakeLlm, startFakeAnthropic, startFakeOpenAI, startFakeOllama, type FakeLlmOptions } from './server.ts';
export { reply, systemText, turnContext, userWords, type FakeReply, type FakeAnswer, type FakeError, type FakeHang, type FakeRequest, type FakeToolCall, type FakeUsage, type ReplyFn, type FakeProtocol } from './script.ts';
export { fakeLlmConfig, FAKE_KEYS } from './config.ts';
export { FakePromptCache, OPENAI_CACHE_MINIMUM, OPENAI_CACHE_STEP, type CachedUsage, type PromptCacheOptions } from './cache.ts';
