// grammY's Node build types AbortSignal as the `abort-controller` polyfill's, which Node's own
// AbortSignal does not match structurally. At run time grammY only adds and removes an 'abort'
// listener on the signal it is given (core/client.js createAbortControllerFromSignal), which
// Node's signal supports, so passing ours through this cast is sound.
import type { Api } from 'grammy';

export type GrammySignal = Parameters<Api['getMe']>[0];

export function grammySignal(signal: AbortSignal | undefined): GrammySignal {
  return signal as unknown as GrammySignal;
}
