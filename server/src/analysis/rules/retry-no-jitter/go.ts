import type { CallFact, FileFacts } from '../../facts/types.js';
import type { Fix } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * retry-no-jitter in Go: a hashicorp/go-retryablehttp client left with its `DefaultBackoff`
 * (exponential, capped, no jitter), unless the file sets `Backoff` on it or hands the client to
 * code it cannot see. Fix (unsafe): `client.Backoff = retryablehttp.LinearJitterBackoff`, the
 * library's jittered backoff; it grows linearly, not exponentially, which is a change of pace.
 */
const RETRYABLE = 'github.com/hashicorp/go-retryablehttp';

export function checkGo(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${RETRYABLE}.NewClient`) return undefined;
  const config = facts.instanceConfig.get(call.start);
  if (config?.has('Backoff') === true || config?.has('*') === true) return undefined;
  return {
    range: calleeRange(call),
    message: 'go-retryablehttp\'s default backoff is exponential without jitter: clients that failed together retry together, in waves.',
    fixes: jitterFix(facts, call),
  };
}

/** `name.Backoff = pkg.LinearJitterBackoff` on the line after `name := pkg.NewClient()`. */
function jitterFix(facts: FileFacts, call: CallFact): Fix[] {
  const statement = call.node.parent?.parent;
  if (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement') return [];
  const names = statement.childForFieldName('left')?.namedChildren ?? [];
  const name = names.length === 1 ? names[0] : undefined;
  const pkg = call.node.childForFieldName('function')?.childForFieldName('operand')?.text;
  if (name?.type !== 'identifier' || pkg === undefined) return [];
  const lines = facts.lines;
  const text = `${lines.eol}${lines.indentAt(statement.startIndex)}${name.text}.Backoff = ${pkg}.LinearJitterBackoff`;
  return [{ title: 'Use LinearJitterBackoff', edits: [{ start: statement.endIndex, end: statement.endIndex, newText: text }], safe: false }];
}
