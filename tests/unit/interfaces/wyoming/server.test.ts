// The Wyoming server over real sockets with a scripted orchestrator: describe → info, transcript
// → one turn on the peer's channel → handled / not-handled, and a peer that misbehaves gets a
// clear error and a closed connection while the server keeps serving others.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../server/src/contract/chat.ts';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import { defaultPeerPolicy, type PeerPolicy } from '../../../../server/src/interfaces/wyoming/peers.ts';
import { WyomingServer, type WyomingLimits } from '../../../../server/src/interfaces/wyoming/server.ts';
import type { TurnRunner } from '../../../../server/src/interfaces/wyoming/turn.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { wyomingClient, type WyomingTestClient } from '../../../helpers/wyoming-client.ts';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

interface Seen { text: string; ctx: TurnContext }

function runner(answer: (text: string) => ChatEvent[], seen: Seen[] = []): TurnRunner {
  return {
    async *process(text, ctx) {
      seen.push({ text, ctx });
      yield* answer(text);
    },
  };
}

const done = (reply: string): ChatEvent[] => [{ type: 'done', turnId: 't', conversationId: 'c', reply, agent: 'main', route: 'other' }];

async function serve(r: TurnRunner | undefined, policy: PeerPolicy = defaultPeerPolicy(), limits: Partial<WyomingLimits> = {}): Promise<WyomingServer> {
  const server = new WyomingServer({ host: '127.0.0.1', port: 0, policy, runner: () => r, logger: quietLogger(), limits });
  await server.start();
  stops.push(() => server.stop());
  return server;
}

async function client(server: WyomingServer): Promise<WyomingTestClient> {
  const c = await wyomingClient(server.port);
  stops.push(() => c.close());
  return c;
}

describe('Wyoming server', () => {
  it('describe → info with one installed handle program that controls the home', async () => {
    const c = await client(await serve(runner(() => done('x'))));
    c.send('describe');
    const [info] = await c.next();
    expect(info?.type).toBe('info');
    const handle = (info?.data.handle as Record<string, unknown>[])[0];
    expect(handle).toMatchObject({ name: 'Wactorz', installed: true, supports_home_control: true, supports_handled_streaming: false, attribution: { name: 'Wactorz' } });
    expect((handle?.models as { languages: string[] }[])[0]?.languages).toContain('en');
    expect(info?.data.asr).toEqual([]);
  });

  it('transcript → one turn on the assist channel in HA\'s conversation → handled with the reply and the conversation id', async () => {
    const seen: Seen[] = [];
    const c = await client(await serve(runner(() => done('Turned on the hallway light.'), seen)));
    c.send('transcript', { text: 'turn on the hallway light', language: 'nl', context: { conversation_id: '01HA', device_id: 'dev1', satellite_id: 'assist_satellite.kitchen' } });
    expect(await c.next()).toEqual([{ type: 'handled', data: { text: 'Turned on the hallway light.', context: { conversation_id: '01HA' } } }]);
    // The language Assist heard goes with the turn, so main answers in it.
    expect(seen.map((s) => [s.text, s.ctx.channel, s.ctx.conversationId, s.ctx.user.id, s.ctx.language])).toEqual([['turn on the hallway light', 'assist', '01HA', 'assist', 'nl']]);
  });

  it('answers not-handled with the reason when the turn fails, is empty, or Wactorz is not up yet', async () => {
    const c = await client(await serve(runner(() => [{ type: 'error', message: 'The LLM budget is spent.' } as ChatEvent])));
    c.send('transcript', { text: 'hello', context: { conversation_id: 'c1' } });
    c.send('transcript', { text: '   ', context: { conversation_id: 'c1' } });
    expect(await c.next(2)).toEqual([
      { type: 'not-handled', data: { text: 'The LLM budget is spent.', context: { conversation_id: 'c1' } } },
      { type: 'not-handled', data: { text: 'Nothing was heard.', context: { conversation_id: 'c1' } } },
    ]);
    const early = await client(await serve(undefined));
    early.send('transcript', { text: 'hello' });
    expect((await early.next())[0]).toMatchObject({ type: 'not-handled', data: { text: 'Wactorz is still starting.' } });
  });

  it('runs a restricted peer on the wyoming channel', async () => {
    const seen: Seen[] = [];
    const c = await client(await serve(runner(() => done('ok'), seen), defaultPeerPolicy({ apiKey: 'k'.repeat(16) })));
    c.send('transcript', { text: 'unlock the front door' });
    await c.next();
    expect(seen[0]?.ctx.channel).toBe('wyoming');
  });

  it('refuses a peer the policy does not allow, before reading anything', async () => {
    const seen: Seen[] = [];
    const c = await client(await serve(runner(() => done('ok'), seen), defaultPeerPolicy({ inAddon: true })));
    c.send('transcript', { text: 'unlock the front door' });
    const [refusal] = await c.next();
    await c.closed;
    expect(refusal).toEqual({ type: 'error', data: { text: 'Wyoming in the add-on answers only Home Assistant (172.30.32.1), not 127.0.0.1', code: 'forbidden' } });
    expect(seen).toEqual([]);
  });

  it('an unknown event gets an error and the connection goes on; invalid transcript data too', async () => {
    const c = await client(await serve(runner(() => done('pong'))));
    c.send('audio-start', { rate: 16000 });
    c.send('transcript', { text: 42 });
    c.send('ping', { text: 'p1' });
    const out = await c.next(3);
    expect(out[0]).toEqual({ type: 'error', data: { text: 'Wactorz does not handle "audio-start" events (it answers describe, ping and transcript)', code: 'unknown-event' } });
    expect(out[1]).toMatchObject({ type: 'error', data: { code: 'invalid' } });
    expect(out[2]).toEqual({ type: 'pong', data: { text: 'p1' } });
  });

  it('a malformed line or an oversized payload ends that connection with an error; the server serves the next one', async () => {
    const server = await serve(runner(() => done('still here')), defaultPeerPolicy(), { maxPayloadBytes: 10 });
    const http = await client(server);
    http.raw('POST / HTTP/1.1\r\nHost: 127.0.0.1:10800\r\n\r\n{"type":"transcript","data":{"text":"unlock"}}\n');
    expect(await http.next(5)).toEqual([{ type: 'error', data: { text: 'header line is not JSON; closing the connection', code: 'malformed' } }]);
    await http.closed;
    const big = await client(server);
    big.raw('{"type":"transcript","payload_length":11}\n');
    expect((await big.next(5)).map((e) => e.data.code)).toEqual(['too-large']);
    await big.closed;
    const ok = await client(server);
    ok.send('transcript', { text: 'hi' });
    expect((await ok.next())[0]?.data.text).toBe('still here');
  });

  it('bounds a flood: events per connection and connections at once', async () => {
    const server = await serve(runner(() => done('x')), defaultPeerPolicy(), { maxEventsPerConnection: 3, maxConnections: 2 });
    const flood = await client(server);
    flood.raw(Buffer.from('{"type":"ping"}\n'.repeat(1000)));
    const got = await flood.next(1000);
    await flood.closed;
    expect(got.map((e) => e.type)).toEqual(['error']);
    expect(got[0]?.data.code).toBe('too-many-events');

    const a = await client(server);
    const b = await client(server);
    a.send('ping');
    b.send('ping');
    await a.next();
    await b.next();
    const third = await client(server);
    expect(await third.next(2)).toEqual([{ type: 'error', data: { text: 'too many Wyoming connections (at most 2)', code: 'busy' } }]);
    a.close();
    await a.closed;
  });
});
