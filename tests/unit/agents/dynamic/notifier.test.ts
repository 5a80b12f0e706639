// Where agent.notify goes: the named notify service, else the configured default, else the phone
// of the companion app, else Home Assistant's notifications panel; an unknown target is an error
// naming the ones that exist.
import { expect, test } from 'vitest';
import { HaNotifier } from '../../../../server/src/agents/dynamic/notifier.ts';
import type { HaClient, ServiceCall } from '../../../../server/src/ha/client.ts';

function fakeHa(notify: string[]): { ha: HaClient; calls: ServiceCall[] } {
  const calls: ServiceCall[] = [];
  const services = { notify: Object.fromEntries(notify.map((n) => [n, {}])) };
  const ha = {
    services: () => services,
    hasService: (d: string, s: string) => d === 'notify' && notify.includes(s),
    callService: async (c: ServiceCall) => (calls.push(c), { context: { id: 'c', parent_id: null, user_id: null } }),
  } as unknown as HaClient;
  return { ha, calls };
}

test('the phone of the companion app by default, with the agent as title when none is given', async () => {
  const { ha, calls } = fakeHa(['notify', 'mobile_app_pixel']);
  await new HaNotifier(ha).notify('washer', { message: 'Done' });
  expect(calls).toEqual([{ domain: 'notify', service: 'mobile_app_pixel', data: { message: 'Done', title: 'washer' } }]);
});

test('an explicit or configured target wins; an unknown one names those that exist', async () => {
  const { ha, calls } = fakeHa(['mobile_app_pixel', 'mobile_app_tablet']);
  await new HaNotifier(ha, { defaultTarget: 'notify.mobile_app_tablet' }).notify('a', { message: 'x', title: 'T' });
  await new HaNotifier(ha).notify('a', { message: 'y', target: 'mobile_app_pixel', data: { priority: 'high' } });
  expect(calls.map((c) => [c.service, c.data])).toEqual([['mobile_app_tablet', { message: 'x', title: 'T' }], ['mobile_app_pixel', { message: 'y', title: 'a', data: { priority: 'high' } }]]);
  await expect(new HaNotifier(ha).notify('a', { message: 'z', target: 'mobile_app_watch' })).rejects.toThrow('notify.mobile_app_watch does not exist in Home Assistant; known: notify.mobile_app_pixel, notify.mobile_app_tablet');
});

test('without any phone: the notifications panel', async () => {
  const { ha, calls } = fakeHa([]);
  await new HaNotifier(ha).notify('reminders', { message: 'Call mum' });
  expect(calls).toEqual([{ domain: 'persistent_notification', service: 'create', data: { message: 'Call mum', title: 'reminders' } }]);
});
