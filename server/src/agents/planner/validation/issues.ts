// What static validation reports: errors block a plan (back to the LLM once, then to the user),
// warnings are shown in the proposal, sensitive actions need the user's explicit approval.
export type IssueKind = 'unknown_entity' | 'unknown_service' | 'code' | 'dangling_topic' | 'self_trigger' | 'name_taken' | 'topic' | 'sensitive' | 'duration';

export interface ValidationIssue {
  kind: IssueKind;
  agent?: string;
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Sensitive actions (locks, alarms, garage/door covers) the approval will confirm. */
  sensitive: string[];
}

export function issue(kind: IssueKind, message: string, agent?: string): ValidationIssue {
  return agent === undefined ? { kind, message } : { kind, agent, message };
}

export function describeIssue(i: ValidationIssue): string {
  return i.agent ? `${i.agent}: ${i.message}` : i.message;
}
