import { z } from 'zod';
import { pendingLimit, pendingRefusal } from '../pending.ts';
import { defineSdk } from './define.ts';
import { findSdkFunction } from './index.ts';

/**
 * The shim refused calls of an async function past its pending bound (see pending.ts): reported
 * once per run of refusals. Only the shim calls it; agent code cannot reach it.
 */
export const pendingRefused = defineSdk({
  name: 'pending.refused',
  path: null,
  scope: null,
  mode: 'value',
  args: z.tuple([z.string().max(100)]),
  doc: {
    signature: '(internal)',
    returns: 'nothing',
    description: 'Reports that calls were refused past the pending-call bound.',
  },
  run(ctx, [name]) {
    const fn = findSdkFunction(name);
    if (fn === undefined || fn.mode !== 'async') return;
    ctx.report({ phase: 'sdk', severity: 'warning', message: pendingRefusal(fn, pendingLimit(fn, ctx.limits)) });
  },
});
