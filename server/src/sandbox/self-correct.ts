// Layer 5 of the original's self-healing: when an agent cannot start (its code does not parse, its
// top level throws, or setup() fails), the error, the code and the SDK reference go to the LLM for
// a fix, and the fixed code is started in a fresh isolate. Each attempt is written to the agent's log.
import { SandboxedAgent, type SandboxedAgentOptions } from './agent.ts';
import { SandboxError } from './errors.ts';
import { sdkReference } from './sdk/reference.ts';
import { DEFAULT_SCOPES, type SandboxErrorEvent } from './types.ts';

/** Returns corrected code, or null/undefined to give up. The LLM, in production. */
export type FixCode = (error: SandboxErrorEvent, code: string, sdkReference: string) => Promise<string | null | undefined>;

export interface CorrectionAttempt {
  attempt: number;
  error: SandboxErrorEvent;
  /** Whether fixCode produced new code to try. */
  fixed: boolean;
}

export interface StartResult {
  agent: SandboxedAgent;
  /** The code that finally started (the original when no fix was needed). */
  code: string;
  attempts: CorrectionAttempt[];
}

/** Phases a code fix can help with; a failure later (process, handleTask) is for the supervisor. */
const FIXABLE = new Set(['compile', 'load', 'setup', 'isolate']);

export async function startWithSelfCorrection(options: SandboxedAgentOptions, fixCode?: FixCode, maxAttempts = 2): Promise<StartResult> {
  const attempts: CorrectionAttempt[] = [];
  const reference = sdkReference({ scopes: options.scopes ?? DEFAULT_SCOPES });
  let code = options.code;
  for (;;) {
    const agent = new SandboxedAgent({ ...options, code });
    try {
      await agent.start();
      if (attempts.length > 0) options.host.log('info', `self-correction: the agent started after ${attempts.length} fix${attempts.length === 1 ? '' : 'es'}`);
      return { agent, code, attempts };
    } catch (err) {
      agent.dispose();
      if (!(err instanceof SandboxError) || fixCode === undefined || attempts.length >= maxAttempts || !FIXABLE.has(err.phase)) throw err;
      const n = attempts.length + 1;
      const attempt: CorrectionAttempt = { attempt: n, error: err.toEvent(), fixed: false };
      attempts.push(attempt);
      options.host.log('warn', `self-correction ${n}/${maxAttempts}: start failed (${err.phase}): ${err.message}; asking for a fix`);
      let fixed: string | null | undefined;
      try {
        fixed = await fixCode(err.toEvent(), code, reference);
      } catch (fixErr) {
        options.host.log('error', `self-correction ${n}/${maxAttempts}: no fix (${fixErr instanceof Error ? fixErr.message : String(fixErr)})`);
        throw err;
      }
      if (typeof fixed !== 'string' || fixed.trim() === '' || fixed === code) {
        options.host.log('error', `self-correction ${n}/${maxAttempts}: no usable fix was returned`);
        throw err;
      }
      attempt.fixed = true;
      options.host.log('info', `self-correction ${n}/${maxAttempts}: retrying with corrected code`);
      code = fixed;
    }
  }
}
