import { z } from 'zod';
import { HaServiceCall } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const haCallService = defineSdk({
  name: 'ha.callService',
  path: 'ha.callService',
  aliases: ['ha.call_service'],
  scope: 'ha:write',
  mode: 'async',
  args: z.tuple([HaServiceCall]),
  // Both callService('light', 'turn_on', data) and callService('light.turn_on', data) are common.
  shim: `function (rt, name) {
    return function callService(domain, service, data) {
      if (typeof domain === 'string' && domain.includes('.') && (service === undefined || (service !== null && typeof service === 'object'))) {
        const dot = domain.indexOf('.');
        return rt.call(name, [{ domain: domain.slice(0, dot), service: domain.slice(dot + 1), data: service }]);
      }
      return rt.call(name, [{ domain, service, data }]);
    };
  }`,
  doc: {
    signature: 'agent.ha.callService(domain, service, data)  or  agent.ha.callService("domain.service", data)',
    returns: 'a promise of the service response',
    description: 'Calls a Home Assistant service, e.g. light.turn_on with { entity_id: "light.kitchen", brightness_pct: 50 }. Locks, alarms and garage doors need the user\'s confirmation and may be refused.',
    example: "await agent.ha.callService('light', 'turn_on', { entity_id: 'light.kitchen' });",
  },
  run(ctx, [call]) {
    return ctx.host.haCallService(call, ctx.signal);
  },
});
