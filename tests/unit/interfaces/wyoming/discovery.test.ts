// Supervisor discovery for Wyoming: what HA's `wyoming` integration is offered (its hassio step
// reads host and port from config.uri), with the add-on's token; a refusal is reported.
import { describe, expect, it } from 'vitest';
import { announceWyoming } from '../../../../server/src/interfaces/wyoming/discovery.ts';

interface Seen { url: string; method: string | undefined; authorization: string | undefined; body: unknown }

function fakeFetch(status: number, answer: unknown, seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: input instanceof Request ? input.url : input.toString(), method: init?.method, authorization: headers.get('authorization') ?? undefined, body: JSON.parse(typeof init?.body === 'string' ? init.body : 'null') as unknown });
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
  };
}

describe('announceWyoming', () => {
  it('posts service "wyoming" with tcp://<add-on hostname>:<port>', async () => {
    const seen: Seen[] = [];
    const out = await announceWyoming({ token: 'sup-token', port: 10800, host: 'a0d7b954-wactorz', fetchImpl: fakeFetch(200, { result: 'ok', data: { uuid: 'u1' } }, seen) });
    expect(out).toEqual({ uuid: 'u1', uri: 'tcp://a0d7b954-wactorz:10800' });
    expect(seen).toEqual([{ url: 'http://supervisor/discovery', method: 'POST', authorization: 'Bearer sup-token', body: { service: 'wyoming', config: { uri: 'tcp://a0d7b954-wactorz:10800' } } }]);
  });

  it('reports a refusal without the token', async () => {
    const err = await announceWyoming({ token: 'sup-token', port: 10800, host: 'h', fetchImpl: fakeFetch(400, { result: 'error' }, []) }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe('Supervisor discovery refused the Wyoming announcement (HTTP 400)');
  });
});
