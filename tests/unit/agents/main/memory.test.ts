import { afterEach, describe, expect, it } from 'vitest';
import { looksSecret, parseFacts } from '../../../../server/src/agents/main/memory/facts-extractor.ts';
import { callSiteOf, harness, lastUserText, type Harness } from './harness.ts';
import { systemText } from '../../../helpers/fake-llm/index.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DISCORD = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';

describe('fact extraction answers', () => {
  it('keep valid facts, normalise keys and categories, and drop the rest', () => {
    const text = 'Here you go:\n```json\n{"facts":[{"key":"User Name","value":"Alice","category":"person"},{"key":"kitchen light","value":"light.kitchen","category":"weird"},{"key":"","value":"x"},{"value":"no key"},{"key":"floors","value":2}]}\n```';
    expect(parseFacts(text)).toEqual([
      { key: 'user_name', value: 'Alice', category: 'person' },
      { key: 'kitchen_light', value: 'light.kitchen', category: 'other' },
      { key: 'floors', value: '2', category: 'other' },
    ]);
    expect(parseFacts('no json here')).toEqual([]);
    expect(parseFacts('{"facts": "nope"}')).toEqual([]);
    expect(parseFacts('{"facts": [}')).toEqual([]);
  });

  it('never keep secrets', () => {
    expect(looksSecret({ key: 'ha_token', value: 'abc' })).toBe(true);
    expect(looksSecret({ key: 'discord', value: DISCORD })).toBe(true);
    expect(looksSecret({ key: 'thing', value: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9abcdef' })).toBe(true);
    expect(looksSecret({ key: 'ha_url', value: 'http://homeassistant.local:8123' })).toBe(false);
    expect(parseFacts('{"facts":[{"key":"api_key","value":"sk-123"},{"key":"ha_url","value":"http://homeassistant.local:8123","category":"home_assistant"}]}')).toEqual([
      { key: 'ha_url', value: 'http://homeassistant.local:8123', category: 'home_assistant' },
    ]);
  });
});

describe('user facts', () => {
  it('are extracted in the background after an exchange, stored with their source, and injected into main’s prompt', async () => {
    h = await harness({ deps: { extractFacts: true } });
    const harnessRef = h;
    harnessRef.script.chat = () => 'Nice to meet you, Alice!';
    harnessRef.script.facts = (prompt) =>
      prompt.includes('my name is Alice')
        ? '{"facts":[{"key":"user_name","value":"Alice","category":"person"},{"key":"office_lamp","value":"light.office_desk is in the office","category":"location"}]}'
        : '{"facts":[]}';
    await harnessRef.turn('Hi, my name is Alice and light.office_desk is my office lamp');
    await harnessRef.orch.idle();

    const facts = harnessRef.orch.facts.list();
    expect(facts.map((f) => [f.key, f.value, f.category])).toEqual([
      ['user_name', 'Alice', 'person'],
      ['office_lamp', 'light.office_desk is in the office', 'location'],
    ]);
    expect(facts[0].source).toEqual({ kind: 'chat', userId: 'alice', conversationId: 'c1', excerpt: 'Hi, my name is Alice and light.office_desk is my office lamp', at: harnessRef.clock.now() });
    const factsCall = harnessRef.calls('facts')[0];
    expect(factsCall.body.max_tokens).toBe(600);
    expect(lastUserText(factsCall)).toContain('Assistant: Nice to meet you, Alice!');

    // The next conversation, even another user's, starts knowing them.
    await harnessRef.turn('what is my name?', { user: { id: 'bob' }, conversationId: 'c2' });
    await harnessRef.orch.idle();
    const system = systemText(harnessRef.calls('conversation').at(-1)!);
    expect(system).toContain('- user_name: Alice');
    expect(system).toContain('- office_lamp: light.office_desk is in the office');
    // Known facts are shown to the extractor so it updates rather than duplicates.
    expect(lastUserText(harnessRef.calls('facts').at(-1)!)).toContain('Facts already known:\nuser_name: Alice');
  });

  it('are not extracted after slash commands or @mentions, nor without an LLM', async () => {
    h = await harness({ deps: { extractFacts: true } });
    await h.turn('/memory');
    await h.turn('@nobody hi');
    await h.orch.idle();
    expect(h.calls('facts')).toHaveLength(0);
  });

  it('survive a broken extractor answer without touching the chat', async () => {
    h = await harness({ deps: { extractFacts: true } });
    h.script.chat = () => 'ok';
    h.script.facts = () => 'I cannot do JSON today';
    expect((await h.turn('my dog is called Rex')).reply).toBe('ok');
    await h.orch.idle();
    expect(h.orch.facts.list()).toEqual([]);
  });
});

describe('webhook URLs in a message', () => {
  it('are saved as secrets, masked in what the LLM, the transcript and the extractor see, and only named in the prompt', async () => {
    h = await harness({ deps: { extractFacts: true } });
    const harnessRef = h;
    harnessRef.script.chat = () => 'Got it, I will use Discord for alerts.';
    const r = await harnessRef.turn(`send my alerts to ${DISCORD} please`);
    await harnessRef.orch.idle();

    expect(harnessRef.orch.webhooks.url('discord')).toBe(DISCORD);
    expect(r.reply).toBe('🔒 Saved your discord (https://discord.com/api/webhooks/…/abcd) webhook as a secret; it will only be shown masked.\n\nGot it, I will use Discord for alerts.');
    for (const req of harnessRef.fake.requests) expect(JSON.stringify(req.body), callSiteOf(req)).not.toContain('AbCdEf');
    expect(lastUserText(harnessRef.calls('conversation')[0])).toBe('send my alerts to https://discord.com/api/webhooks/…/abcd please');
    expect(JSON.stringify(harnessRef.orch.history.get('alice', 'c1'))).not.toContain('AbCdEf');
    const rows = harnessRef.db.prepare('SELECT body FROM llm_messages').pluck().all() as string[];
    expect(rows.join('\n')).not.toContain('AbCdEf');

    await harnessRef.turn('which notifications do I have?');
    const system = systemText(harnessRef.calls('conversation').at(-1)!);
    expect(system).toContain('Notification webhooks configured: discord.');
    expect(system).not.toContain('webhooks/123456789012345678');
  });
});
