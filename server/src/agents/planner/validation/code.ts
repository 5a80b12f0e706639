// Dynamic agent code must compile and use only the agent SDK. The sandbox would contain anything
// else anyway; this is about refusing, before approval, a rule that could not work: a syntax
// error, Python, require(), fetch(), timers, or an agent.* call the SDK does not have.
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import { checkAgentCode, formatIssue } from '../../../sandbox/validate.ts';
import { issue, type ValidationIssue } from './issues.ts';

/** Lint warnings that are still workable code (a loop that awaits inside is fine). */
const TOLERATED = /endless loop/;

export async function checkCode(configs: readonly SpawnConfig[]): Promise<{ errors: ValidationIssue[]; warnings: ValidationIssue[] }> {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  for (const c of configs) {
    if (c.type !== 'dynamic') continue;
    const check = await checkAgentCode(c.code);
    for (const e of check.errors) errors.push(issue('code', `code does not compile: ${formatIssue(e)}`, c.name));
    for (const w of check.warnings) {
      if (TOLERATED.test(w.message)) warnings.push(issue('code', formatIssue(w), c.name));
      else errors.push(issue('code', `code uses what the sandbox does not offer: ${formatIssue(w)}`, c.name));
    }
    if (c.install.length) errors.push(issue('code', `needs npm packages (${c.install.join(', ')}), which sandboxed agents cannot install; use the agent SDK only`, c.name));
  }
  return { errors, warnings };
}
