import type { Node } from 'web-tree-sitter';
import { keyName } from './ruby-values.js';
import type { CallFact } from './types.js';

/**
 * GoodJob's cron entries, written as Rails configuration rather than called (in
 * `config/application.rb`, an environment file or an initializer, on `config` or
 * `Rails.application.config`), in the forms its README and applications use:
 *  - the hash assigned to `config.good_job.cron`;
 *  - the `cron:` hash of the whole settings hash, `config.good_job = { enable_cron: true, cron: { ... } }`;
 *  - entries merged in, `config.good_job.cron.merge!(key: { ... })` (plugins and conditional entries);
 *  - one entry assigned under a key, `config.good_job.cron[:nightly] = { ... }`.
 * An entry is a hash with a `cron:` (a cron line, `"every 15s"`, or a lambda) and the `class:` it
 * enqueues; anything else there (a hash without both keys, a variable) is not an entry the file
 * shows. Each entry is one schedule call, `GoodJob.cron`, on its `cron:` value.
 */
export const GOOD_JOB_CRON = 'GoodJob.cron';

export function goodJobCronEntries(left: Node, right: Node): CallFact[] {
  if (left.type === 'call' && isCronSetting(left)) return entriesOf(right);
  if (left.type === 'call' && left.childForFieldName('method')?.text === 'good_job' && right.type === 'hash') {
    const cron = right.namedChildren.find((pair) => pair?.type === 'pair' && keyOf(pair) === 'cron');
    const value = cron?.childForFieldName('value');
    return value == null ? [] : entriesOf(value);
  }
  if (left.type === 'element_reference') {
    const object = left.childForFieldName('object') ?? left.namedChild(0);
    if (object !== null && object.type === 'call' && isCronSetting(object)) return entry(left.parent ?? left, right);
  }
  return [];
}

/** `config.good_job.cron.merge!(...)` (or `merge`): the entries of its hash or bare pairs. */
export function goodJobCronMerge(call: Node): CallFact[] {
  const method = call.childForFieldName('method')?.text;
  const receiver = call.childForFieldName('receiver');
  if ((method !== 'merge!' && method !== 'merge') || receiver?.type !== 'call' || !isCronSetting(receiver)) return [];
  const args = call.childForFieldName('arguments');
  const only = args?.namedChildren.filter((a) => a !== null && a.type !== 'comment') ?? [];
  return only.length === 1 && only[0]?.type === 'hash' ? entriesOf(only[0]) : args === null ? [] : entriesOf(args);
}

/** The entries of a hash (or an argument list of bare pairs): each `key: { cron:, class: }` pair. */
function entriesOf(hash: Node): CallFact[] {
  if (hash.type !== 'hash' && hash.type !== 'argument_list') return [];
  return hash.namedChildren.flatMap((pair) => {
    const value = pair?.type === 'pair' ? pair.childForFieldName('value') : null;
    return pair == null || value == null ? [] : entry(pair, value);
  });
}

function keyOf(pair: Node): string | undefined {
  const key = pair.childForFieldName('key');
  return key === null ? undefined : keyName(key);
}

/** `<receiver>.good_job.cron`: the setting itself, whatever configuration object holds it. */
function isCronSetting(call: Node): boolean {
  const receiver = call.childForFieldName('receiver');
  return call.childForFieldName('method')?.text === 'cron' && receiver?.type === 'call' && receiver.childForFieldName('method')?.text === 'good_job';
}

function entry(owner: Node, value: Node): CallFact[] {
  if (value.type !== 'hash') return [];
  let cron: Node | undefined;
  let hasClass = false;
  for (const pair of value.namedChildren) {
    const name = pair?.type === 'pair' ? keyOf(pair) : undefined;
    if (name === 'cron') cron = pair?.childForFieldName('value') ?? undefined;
    if (name === 'class') hasClass = true;
  }
  if (cron === undefined || !hasClass) return [];
  return [{
    api: GOOD_JOB_CRON,
    start: owner.startIndex,
    end: owner.endIndex,
    calleeStart: cron.startIndex,
    calleeEnd: cron.endIndex,
    args: undefined,
    isNew: false,
    decorator: undefined,
    receiver: undefined,
    node: owner,
  }];
}
