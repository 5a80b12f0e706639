// URLs the router itself refuses still answer in the API's one error shape.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

describe('URLs the router refuses', () => {
  it('answers a badly percent-encoded path with a JSON 400 in the error shape', async () => {
    const res = await t.app.inject({ url: '/api/agents/%ZZ' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('bad_url');
    expect(body.error.message).toMatch(/URL/);
  });

  it('answers an over-long path segment with a JSON 414 that does not echo the path', async () => {
    const name = 'a'.repeat(300);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/memory/${name}` });
    expect(res.statusCode).toBe(414);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('uri_too_long');
    expect(body.error.message).toMatch(/too long/);
    expect(res.body).not.toContain(name);
  });
});
