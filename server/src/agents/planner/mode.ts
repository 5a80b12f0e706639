// Task or pipeline, when the request does not say (`@planner ...`): a reactive rule describes
// when something should happen (when/whenever/if ... then/every day at ...); a task asks for an
// answer now.
const REACTIVE = /\b(when(ever)?|as soon as|each time|every time|any time|if\b[^?]*\b(turn|switch|notify|send|lock|unlock|open|close|alert|tell|message|set|start|stop)|every (day|morning|evening|night|hour|week|weekday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+ ?(minutes?|hours?|seconds?))|each (day|morning|evening|night)|(daily|nightly|hourly|weekly)\b|at (midnight|noon|sunset|sunrise|\d{1,2}([:.]\d{2})?\s*(am|pm)?)\b.*\b(turn|switch|notify|send|lock|unlock|open|close|remind|start|stop))/i;

export function looksReactive(text: string): boolean {
  return REACTIVE.test(text);
}
