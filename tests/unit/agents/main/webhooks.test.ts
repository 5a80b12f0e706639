import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { openDatabase } from '../../../../server/src/store/database.ts';
import { WebhookStore } from '../../../../server/src/agents/main/memory/webhook-store.ts';
import { customWebhookProblem, findWebhooks, isWebhookName, maskUrlsIn, maskWebhook, maskWebhooksIn, webhookServiceOf } from '../../../../server/src/agents/main/memory/webhook-urls.ts';

const DISCORD = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
const SLACK = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXwxyz';
const TELEGRAM = 'https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage?chat_id=42';

describe('webhook URLs', () => {
  it('are found in any text, with their service', () => {
    expect(findWebhooks(`post to ${DISCORD} and ${SLACK}, or ${TELEGRAM}.`)).toEqual([
      { service: 'discord', url: DISCORD },
      { service: 'slack', url: SLACK },
      { service: 'telegram', url: TELEGRAM },
    ]);
    expect(findWebhooks('see https://discord.com/channels/1/2')).toEqual([]);
    expect(webhookServiceOf(DISCORD)).toBe('discord');
    expect(webhookServiceOf(`x ${DISCORD}`)).toBeUndefined();
  });

  it('are masked to host, first path and last four characters, never the secret part', () => {
    expect(maskWebhook(DISCORD)).toBe('https://discord.com/api/webhooks/…/abcd');
    expect(maskWebhook(SLACK)).toBe('https://hooks.slack.com/services/T00000000/…/wxyz');
    expect(maskWebhook(TELEGRAM)).toBe('https://api.telegram.org/…/sage');
    const masked = maskWebhooksIn(`use ${DISCORD} please`);
    expect(masked).toBe('use https://discord.com/api/webhooks/…/abcd please');
    expect(masked).not.toContain('AbCdEf');
    expect(maskWebhooksIn(TELEGRAM)).not.toContain('ABC-DEF1234');
  });

  it('of any other kind show only the host and the last four characters; a /webhook command masks every URL', () => {
    const teams = 'https://prod-01.westeurope.logic.azure.com/workflows/SecretWorkflowId/triggers/manual/paths/invoke?sig=SecretSig';
    expect(maskWebhook(teams)).toBe('https://prod-01.westeurope.logic.azure.com/…/voke');
    expect(maskUrlsIn(`/webhook teams ${teams} and http://homeassistant.local:8123/api/webhook/SecretHookId`)).toBe(
      '/webhook teams https://prod-01.westeurope.logic.azure.com/…/voke and http://homeassistant.local:8123/…/okId',
    );
  });

  it('names: a service or the owner\'s plain lowercase name; custom URLs must be plain http(s)', () => {
    expect(['slack', 'teams', 'family-alerts', 'n8n_2'].map(isWebhookName)).toEqual([true, true, true, true]);
    expect(['', 'Teams', '2fa', 'a.b', 'delete', 'x'.repeat(33)].map(isWebhookName)).toEqual([false, false, false, false, false, false]);
    expect(customWebhookProblem('https://example.com/hook')).toBeUndefined();
    expect(customWebhookProblem('http://homeassistant.local:8123/api/webhook/x')).toBeUndefined();
    expect(customWebhookProblem('mailto:me@example.com')).toBe('That is not an http(s) URL (it starts with mailto:)');
  });

  it('are stored apart, one per service, listed masked only', () => {
    const db = openDatabase({ dataDir: ':memory:' });
    const store = new WebhookStore(db, new ManualClock());
    expect(store.save('discord', DISCORD, 'chat')).toBe(true);
    expect(store.save('discord', DISCORD, 'chat')).toBe(false);
    store.save('slack', SLACK, 'command');
    expect(store.list()).toEqual([
      expect.objectContaining({ service: 'discord', masked: 'https://discord.com/api/webhooks/…/abcd', source: 'chat' }),
      expect.objectContaining({ service: 'slack', source: 'command' }),
    ]);
    expect(JSON.stringify(store.list())).not.toContain('AbCdEf');
    expect(store.url('discord')).toBe(DISCORD);
    expect(store.services()).toEqual(['discord', 'slack']);
    expect(store.remove('slack')).toBe(true);
    expect(store.services()).toEqual(['discord']);
    db.close();
  });
});
