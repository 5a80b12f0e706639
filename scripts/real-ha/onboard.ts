// Onboarding through HA's own APIs, as the frontend does it: create the owner (POST
// /api/onboarding/users -> an auth code), exchange the code at /auth/token, finish the remaining
// steps, then ask for a long-lived access token over the WebSocket. No storage file is written by
// hand: HA writes its own .storage.
import { randomBytes } from 'node:crypto';
import { openHaSocket } from './ws-session.ts';

interface OnboardingStep {
  step: string;
  done: boolean;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * Whether the owner exists yet, or undefined while HA does not answer. HA serves /api/onboarding
 * only until onboarding is complete: a 404 is an onboarded HA.
 */
export async function ownerCreated(url: string): Promise<boolean | undefined> {
  try {
    const res = await fetch(`${url}/api/onboarding`, { signal: AbortSignal.timeout(3000) });
    if (res.status === 404) return true;
    if (!res.ok) return undefined;
    return ((await res.json()) as OnboardingStep[]).find((s) => s.step === 'user')?.done === true;
  } catch {
    return undefined;
  }
}

export async function onboard(url: string): Promise<{ token: string }> {
  const clientId = `${url}/`;
  const password = randomBytes(18).toString('base64url');
  const user = await json<{ auth_code: string }>(
    await fetch(`${url}/api/onboarding/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, name: 'Wactorz Test', username: 'wactorz', password, language: 'en' }),
    }),
    'onboarding: create the owner',
  );
  const tokens = await json<{ access_token: string }>(
    await fetch(`${url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: user.auth_code, client_id: clientId }),
    }),
    'onboarding: exchange the auth code',
  );
  const auth = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
  await json(await fetch(`${url}/api/onboarding/core_config`, { method: 'POST', headers: auth, body: '{}' }), 'onboarding: core config');
  await json(await fetch(`${url}/api/onboarding/analytics`, { method: 'POST', headers: auth, body: '{}' }), 'onboarding: analytics');
  await json(
    await fetch(`${url}/api/onboarding/integration`, { method: 'POST', headers: auth, body: JSON.stringify({ client_id: clientId, redirect_uri: `${url}/?auth_callback=1` }) }),
    'onboarding: integration',
  );
  const socket = await openHaSocket(url, tokens.access_token);
  try {
    const token = await socket.command<string>({ type: 'auth/long_lived_access_token', client_name: 'wactorz tests', lifespan: 3650 });
    return { token };
  } finally {
    socket.close();
  }
}
