import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import type { RawFinding } from '../rule.js';

/**
 * watermill's `middleware.Retry{...}`: the middleware builds cenkalti/backoff's exponential
 * backoff from the literal's fields, and a `Multiplier` left at zero (or set to one) never grows
 * the wait, so every retry comes `InitialInterval` after the last. Reported when the literal asks
 * for more than one retry (`MaxRetries` above 1: a single retry has no second wait to grow) and
 * the file sets no `Multiplier` above 1, in the literal or on the value afterwards. No fix: the
 * right multiplier and cap depend on how long the handler may hold its message.
 */
const WATERMILL_RETRY = 'github.com/ThreeDotsLabs/watermill/message/router/middleware.Retry';

export function watermillRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== WATERMILL_RETRY || !call.isNew || call.args === undefined) return undefined;
  const fields = call.args.keywords;
  // Unkeyed elements fill fields by position: which of them is the multiplier is not read.
  if (call.args.positional.length > 0) return undefined;
  const retries = integer(fields.get('MaxRetries'));
  if (retries === undefined || retries <= 1) return undefined;
  const assigned = facts.memberAssignments?.some((a) => a.origin === call.start && a.path === 'Multiplier') === true;
  if (assigned || facts.instanceConfig.get(call.start)?.has('*') === true) return undefined;
  const multiplier = fields.get('Multiplier');
  if (multiplier !== undefined) {
    const factor = /^\d+(?:\.\d*)?$/.test(multiplier.value.text) ? Number(multiplier.value.text) : undefined;
    if (factor === undefined || factor > 1) return undefined;
  }
  const interval = fields.get('InitialInterval')?.value.text;
  return {
    range: { start: call.calleeStart, end: call.calleeEnd },
    message: `watermill's \`Retry\` ${multiplier === undefined ? 'without a `Multiplier`' : `with \`Multiplier: ${multiplier.value.text}\``} waits the same ${interval === undefined ? 'interval' : `\`${interval}\``} before each of its ${retries} retries: handlers that failed together retry together, at a fixed pace.`,
    fixes: [],
  };
}

function integer(field: PropertyFact | undefined): number | undefined {
  return field !== undefined && /^\d+$/.test(field.value.text) ? Number(field.value.text) : undefined;
}
