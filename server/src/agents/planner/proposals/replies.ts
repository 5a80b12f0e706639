// What a chat message means while a plan of that conversation is pending: an approval ("yes",
// "approve"), a rejection ("no"), a correction ("make it 30 minutes later", "use 55 as the
// threshold": the plan is superseded and re-planned), a new spawn-like request (which gets a
// warning that a plan is still pending), or something unrelated (routed as usual).
export type Reply = { kind: 'approve' } | { kind: 'reject' } | { kind: 'correct'; correction: string } | { kind: 'spawn_like' } | { kind: 'other' };

const APPROVE = /^(y|yes|yep|yeah|yup|approve|approved|ok|okay|sure|go|go ahead|do it|confirm|confirmed|looks good|lgtm|👍|✅)(\s+(please|thanks|thank you|do it|go ahead))?[\s.!]*$/i;
const REJECT = /^(n|no|nope|nah|reject|rejected|cancel|don'?t|do not|stop|never ?mind|discard|forget it|👎|❌)(\s+(thanks|thank you))?[\s.!]*$/i;
/** "no, ..." followed by what to do instead is a correction, not a rejection. */
const NO_BUT = /^(no|nope|nah)\s*[,.:;-]\s*\S|^(no|nope)\s+(make|use|change|set|only|instead|just|do|it|at|with|not)\b/i;
const CORRECTION = new RegExp(
  [
    String.raw`^(make|use|change|set|switch|move|shift|increase|decrease|lower|raise|replace|rename|add|remove|drop|include|exclude|only|also|instead|rather|actually|but|wait|except|without|and also)\b`,
    String.raw`\b(instead|rather than|later|earlier|threshold|make it|change it|set it|use \d|minutes? (later|earlier|before|after)|hours? (later|earlier|before|after)|only on|not on|except on)\b`,
  ].join('|'),
  'i',
);
const SPAWN_LIKE = /\b(when(ever)?|every (day|morning|evening|night|hour|week|weekday|minute)|each (day|morning|evening)|at \d{1,2}([:.]\d{2})?\s*(am|pm)?|if\b.*\bthen|spawn|create (an? )?(agent|rule|automation)|new (agent|rule|automation)|pipeline|notify me|remind me)\b/i;

export function classifyReply(text: string): Reply {
  const t = text.trim();
  if (APPROVE.test(t)) return { kind: 'approve' };
  if (REJECT.test(t)) return { kind: 'reject' };
  if (NO_BUT.test(t) || CORRECTION.test(t)) return { kind: 'correct', correction: t };
  if (SPAWN_LIKE.test(t)) return { kind: 'spawn_like' };
  return { kind: 'other' };
}
