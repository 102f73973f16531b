import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { appendArgument, appendProperty } from '../../fixes/edits.js';
import type { TextEdit } from '../../types.js';
import { hint } from '../common/ruby.js';
import type { RawFinding } from '../rule.js';

/**
 * http-timeout for `Faraday.new` (the Ruby semantics are described in `ruby.ts`).
 *
 * The connect timeout the fixes insert, in seconds.
 */
export const OPEN_SECONDS = 5;
const FARADAY_TIMEOUTS = ['timeout', 'open_timeout', 'read_timeout', 'write_timeout'];

/**
 * `Faraday.new(url, request: { timeout: 10 })`, or a block that sets `f.options.timeout`: either
 * configures it. Without them, the adapter's defaults apply.
 */
export function checkFaraday(facts: FileFacts, call: CallFact, seconds: string): RawFinding | undefined {
  const args = call.args;
  const config = facts.instanceConfig.get(call.start);
  if (config?.has('*') === true || FARADAY_TIMEOUTS.some((k) => config?.has(`options.${k}`) === true)) return undefined;
  if ([...facts.configuredMembers].some((m) => m.startsWith('Faraday.default_connection_options'))) return undefined;
  const options = faradayOptions(facts, call);
  if (options === 'unknown') return undefined;
  const first = args?.positional[0];
  const second = args?.positional[1];
  const request = options?.get('request');
  const requestHash = request?.value.object;
  if (request !== undefined && (requestHash === undefined || requestHash.hasSpread)) return undefined;
  if (FARADAY_TIMEOUTS.some((k) => requestHash?.props.has(k) === true)) return undefined;
  const property = `timeout: ${seconds}, open_timeout: ${OPEN_SECONDS}`;
  let edits: TextEdit[];
  if (requestHash !== undefined) edits = appendProperty(facts, requestHash, property);
  else if (first?.object !== undefined) edits = appendProperty(facts, first.object, `request: { ${property} }`);
  else if (second?.object !== undefined) edits = appendProperty(facts, second.object, `request: { ${property} }`);
  else if (args !== undefined) edits = appendArgument(facts, args, `request: { ${property} }`);
  else edits = [{ start: call.calleeEnd, end: call.calleeEnd, newText: `(request: { ${property} })` }];
  return hint(call, `\`${call.api}\` sets no timeout: Faraday falls back to its adapter's defaults (with Net::HTTP, 60 s to connect and 60 s for each read).`,
    [{ title: `Add request: { ${property} }`, edits, safe: true }]);
}

/**
 * The options of `Faraday.new(url = nil, options = {})`: a hash in either place, or bare pairs.
 * A lone argument in a variable may be the URL or the options: unknown, unless it is a constant
 * holding a string.
 */
function faradayOptions(facts: FileFacts, call: CallFact): ReadonlyMap<string, PropertyFact> | 'unknown' | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  if (args.hasSplat) return 'unknown';
  const [first, second] = args.positional;
  const hash = first?.object ?? second?.object;
  if (first?.object !== undefined && (second !== undefined || args.keywords.size > 0)) return 'unknown';
  if (second !== undefined && (second.object === undefined || args.keywords.size > 0)) return 'unknown';
  if (hash !== undefined) return hash.hasSpread ? 'unknown' : hash.props;
  const url = first === undefined || first.kind === 'string' || facts.constants.get(first.text)?.kind === 'string';
  if (!url && args.keywords.size === 0) return 'unknown';
  return args.keywords.size > 0 ? args.keywords : undefined;
}
