export { FakeLlmServer, startFakeLlm, startFakeAnthropic, startFakeOpenAI, startFakeOllama, type FakeLlmOptions } from './server.ts';
export { reply, type FakeReply, type FakeAnswer, type FakeError, type FakeHang, type FakeRequest, type FakeToolCall, type FakeUsage, type ReplyFn, type FakeProtocol } from './script.ts';
export { fakeLlmConfig, FAKE_KEYS } from './config.ts';
