import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { WindowQuery } from '../schemas.ts';
import { defineSdk } from './define.ts';

/** The methods of a window object; reached only through the object agent.window returns. */
export const windowQuery = defineSdk({
  name: 'window.query',
  path: null,
  scope: 'window',
  mode: 'value',
  args: z.tuple([z.number().int().positive(), WindowQuery]),
  doc: {
    signature: 'w.mean(field) / w.rising(threshold) / ...',
    returns: 'a number, boolean, value or array, as the method says',
    description: 'Queries a window created by agent.window.',
  },
  run(ctx, [id, query]) {
    const win = ctx.windows.get(id);
    if (win === undefined) throw new SdkError('this window is closed or belongs to another agent');
    return win.query(query);
  },
});
