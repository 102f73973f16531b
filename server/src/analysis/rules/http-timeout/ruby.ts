import type { CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { rubyExtras } from '../../facts/ruby.js';
import { appendArgument, appendProperty, replaceRange, timeoutConstant } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { hashAt, hint, insideBlockOf, linesAfter, localHashKeys, methodHash, optionsOf, statementOf } from '../common/ruby.js';
import { checkFaraday, OPEN_SECONDS } from './ruby-faraday.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * http-timeout in Ruby: Net::HTTP, Faraday and HTTParty.
 *
 * Unlike requests or axios, none of them waits forever by default: Net::HTTP opens, reads and
 * writes with 60-second timeouts (net-http 0.9.1) and retries an idempotent request once;
 * HTTParty passes only the timeouts it is given, so Net::HTTP's apply; Faraday sets none and its
 * default adapter falls back to Net::HTTP's. A call left at those defaults can hold a job for
 * minutes, which is far too long for most tasks but is bounded, and whether it is too long
 * depends on the task's budget, which the file does not show. So:
 *
 * - A timeout set to `nil` (`http.read_timeout = nil`, `read_timeout: nil` in `Net::HTTP.start`)
 *   really waits forever: reported at the rule's severity (warning). Fix (safe): a number.
 * - A call left at the 60-second defaults is reported as a hint, and the message says what the
 *   default is. Fix (safe) where the library takes the option in place: `open_timeout:` and
 *   `read_timeout:` for `Net::HTTP.start`, two assignments after `http = Net::HTTP.new(...)`,
 *   `request: { timeout:, open_timeout: }` for `Faraday.new`, `timeout:` for `HTTParty.get`,
 *   `default_timeout` after `include HTTParty`. `Net::HTTP.get` and friends cannot take one: no fix.
 *
 * Options a method of the class returns as one hash literal (`HTTParty.get(url, request_options)`)
 * are read there.
 * Options held in a local the method builds from a literal hash (`options = { body: b }` then
 * `post(path, options)`) are read like a hash written in place; one changed after it is built is
 * unknown.
 *
 * Connections configured in a block, after their creation, or handed to code the file cannot see
 * are not reported; neither are calls inside `Timeout.timeout(...) do ... end`, nor requests made
 * through a connection (the finding belongs where it is created).
 */
const NET_HTTP_TIMEOUTS = ['open_timeout', 'read_timeout', 'write_timeout', 'ssl_timeout'];
const HTTPARTY_TIMEOUTS = ['timeout', 'open_timeout', 'read_timeout', 'write_timeout'];
const NET_HTTP_SHORTCUTS = new Set(['Net::HTTP.get', 'Net::HTTP.get_response', 'Net::HTTP.post', 'Net::HTTP.post_form', 'Net::HTTP.get_print']);
const DEFAULTS = 'Net::HTTP\'s defaults, 60 s to connect and 60 s for each read';

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const guards = facts.calls.filter((c) => c.api === 'Timeout.timeout');
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    if (!/^(Net::HTTP|Faraday|HTTParty)\b/.test(call.api) || insideBlockOf(call.node, guards)) continue;
    const seconds = timeoutConstant(facts, call.start) ?? String(context.fixTimeoutSeconds);
    const finding = check(facts, call, seconds);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function check(facts: FileFacts, call: CallFact, seconds: string): RawFinding | undefined {
  const name = `\`${call.api}\``;
  if (NET_HTTP_SHORTCUTS.has(call.api)) {
    return hint(call, `${name} cannot take a timeout: it waits up to ${DEFAULTS} (and retries an idempotent request once). Use \`Net::HTTP.start\` with \`open_timeout:\` and \`read_timeout:\` to fit the task's budget.`, []);
  }
  switch (call.api) {
    case 'Net::HTTP.start': {
      const options = startOptions(call);
      if (options === 'unknown') return undefined;
      const given = NET_HTTP_TIMEOUTS.map((k) => options?.get(k)).filter((p): p is PropertyFact => p !== undefined);
      const none = given.find((p) => p.value.kind === 'none');
      if (none !== undefined) return nilTimeout(call, none.key, none.value, seconds);
      const later = setLater(facts, call, seconds);
      if (later !== 'unset' || given.length > 0) return later === 'set' || later === 'unset' ? undefined : later;
      const edits = call.args === undefined ? undefined : appendArgument(facts, call.args, `open_timeout: ${OPEN_SECONDS}, read_timeout: ${seconds}`);
      return hint(call, `${name} sets no timeout: it waits up to ${DEFAULTS}.`,
        edits === undefined ? [] : [{ title: `Add open_timeout: ${OPEN_SECONDS}, read_timeout: ${seconds}`, edits, safe: true }]);
    }
    case 'Net::HTTP.new': {
      const later = setLater(facts, call, seconds);
      if (later !== 'unset') return later === 'set' ? undefined : later;
      const statement = statementOf(facts, call.node);
      const target = statement?.type === 'assignment' ? statement.childForFieldName('left') : null;
      const fixes: Fix[] = statement === undefined || target == null || !/^(identifier|instance_variable)$/.test(target.type) ? [] : [{
        title: `Set open_timeout = ${OPEN_SECONDS} and read_timeout = ${seconds}`,
        edits: [linesAfter(facts, statement, [`${target.text}.open_timeout = ${OPEN_SECONDS}`, `${target.text}.read_timeout = ${seconds}`])],
        safe: true,
      }];
      return hint(call, `${name} is used without \`open_timeout\` or \`read_timeout\`: it waits up to ${DEFAULTS}.`, fixes);
    }
    case 'Faraday.new':
    case 'Faraday::Connection.new':
      return checkFaraday(facts, call, seconds);
    case 'HTTParty':
      return checkHttpartyClass(facts, call, seconds);
    default:
      break;
  }
  if (/^Faraday\.(get|post|put|patch|delete|head)$/.test(call.api)) {
    if ([...facts.configuredMembers].some((m) => m.startsWith('Faraday.default_connection'))) return undefined;
    return hint(call, `${name} uses Faraday's default connection, which sets no timeout: the adapter's defaults apply (with Net::HTTP, 60 s to connect and 60 s for each read).`, []);
  }
  if (/^HTTParty\.(get|post|put|patch|delete|head|options)$/.test(call.api) && call.receiver === undefined) {
    const local = localHashKeys(call.args, 1, call);
    if (local !== undefined) return HTTPARTY_TIMEOUTS.some((k) => local.has(k)) ? undefined : hint(call, `${name} has no \`timeout\` in its options: HTTParty then uses ${DEFAULTS}.`, []);
    // Options built by a method of the class (`request_options`) are read there; the fix would edit that method, so none is offered.
    const held = call.args?.keywords.size === 0 && call.args.hasSplat !== true ? methodHash(facts, call.args.positional[1]) : undefined;
    const options = held === undefined ? optionsOf(call.args, 1) : held.hasSpread ? 'unknown' : held.props;
    if (options === 'unknown' || (call.args?.positional[1] !== undefined && options === undefined)) return undefined;
    if (HTTPARTY_TIMEOUTS.some((k) => options?.get(k) !== undefined && options.get(k)?.value.kind !== 'none')) return undefined;
    if (held !== undefined) return hint(call, `${name} has no \`timeout\` in the options \`${call.args?.positional[1]?.text ?? ''}\` returns: HTTParty then uses ${DEFAULTS}.`, []);
    const object = hashAt(call.args, 1);
    const edits = object !== undefined ? appendProperty(facts, object, `timeout: ${seconds}`) : call.args === undefined ? undefined : appendArgument(facts, call.args, `timeout: ${seconds}`);
    return hint(call, `${name} has no \`timeout\`: HTTParty then uses ${DEFAULTS}.`,
      edits === undefined || options?.has('timeout') === true ? [] : [{ title: `Add timeout: ${seconds}`, edits, safe: true }]);
  }
  return undefined;
}

/** `include HTTParty` in a class with no `default_timeout`, whose requests do not all pass their own. */
function checkHttpartyClass(facts: FileFacts, include: CallFact, seconds: string): RawFinding | undefined {
  if ((facts.instanceConfig.get(include.start)?.size ?? 0) > 0) return undefined;
  const requests = facts.calls.filter((c) => c.receiver === include);
  const covered = (c: CallFact): boolean => {
    const local = localHashKeys(c.args, 1, c);
    if (local !== undefined) return HTTPARTY_TIMEOUTS.some((k) => local.has(k));
    const options = optionsOf(c.args, 1);
    return options === 'unknown' || (c.args?.positional[1] !== undefined && options === undefined) || HTTPARTY_TIMEOUTS.some((k) => options?.has(k) === true);
  };
  if (requests.length > 0 && requests.every(covered)) return undefined;
  const statement = statementOf(facts, include.node);
  return hint(include, 'HTTParty class without `default_timeout`: its requests use ' + `${DEFAULTS}.`, statement === undefined ? [] : [{
    title: `Add default_timeout ${seconds}`,
    edits: [linesAfter(facts, statement, [`default_timeout ${seconds}`])],
    safe: true,
  }]);
}

/**
 * Timeouts assigned on the instance after its creation (`http.read_timeout = 5`, also inside
 * `Net::HTTP.start(...) do |http|`): `set`, `unset`, or the finding for one set to nil. An instance
 * handed to code the file cannot see counts as set.
 */
function setLater(facts: FileFacts, call: CallFact, seconds: string): RawFinding | 'set' | 'unset' {
  const config = facts.instanceConfig.get(call.start);
  const values = rubyExtras(facts).assignments.get(call.start);
  for (const key of NET_HTTP_TIMEOUTS) {
    const value = values?.get(key);
    if (value?.kind === 'none') return nilTimeout(call, key, value, seconds);
  }
  return config?.has('*') === true || NET_HTTP_TIMEOUTS.some((k) => config?.has(k) === true) ? 'set' : 'unset';
}

function nilTimeout(call: CallFact, key: string, value: ValueFact, seconds: string): RawFinding {
  const number = key === 'open_timeout' ? String(OPEN_SECONDS) : seconds;
  return {
    range: { start: value.start, end: value.end },
    message: `\`${key}\` set to nil on \`${call.api}\`: Net::HTTP then waits forever for a peer that stopped answering.`,
    fixes: [{ title: `Set ${key} to ${number}`, edits: [replaceRange(value.start, value.end, number)], safe: true }],
  };
}

/**
 * The options hash of `Net::HTTP.start(address, port, p_addr, ..., opts)`: its last argument when
 * that is a hash. A later argument held in a variable may be that hash.
 */
function startOptions(call: CallFact): ReadonlyMap<string, PropertyFact> | 'unknown' | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  if (args.hasSplat) return 'unknown';
  const rest = args.positional.slice(1);
  const last = rest[rest.length - 1];
  if (args.keywords.size > 0) return args.keywords;
  if (last?.object !== undefined) return last.object.hasSpread ? 'unknown' : last.object.props;
  if (rest.some((v) => !isPortLike(v))) return 'unknown';
  return undefined;
}

function isPortLike(value: ValueFact): boolean {
  return value.kind === 'number' || value.kind === 'none' || value.kind === 'string' || /port/i.test(value.text);
}
