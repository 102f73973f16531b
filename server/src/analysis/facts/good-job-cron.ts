import type { Node } from 'web-tree-sitter';
import { keyName } from './ruby-values.js';
import type { CallFact } from './types.js';

/**
 * GoodJob's cron entries, written as Rails configuration rather than called: each entry of the
 * hash assigned to `config.good_job.cron` (in `config/application.rb`, an environment file or an
 * initializer, also spelled `Rails.application.config.good_job.cron`), or one entry assigned under
 * a key (`config.good_job.cron[:nightly] = { ... }`, the form gems and conditional entries use).
 * An entry is a hash with a `cron:` (a cron line, `"every 15s"`, or a lambda) and the `class:` it
 * enqueues; anything else assigned there (a hash without both keys, a variable) is not an entry
 * the file shows. Each entry is one schedule call, `GoodJob.cron`, on its `cron:` value.
 */
export const GOOD_JOB_CRON = 'GoodJob.cron';

export function goodJobCronEntries(left: Node, right: Node): CallFact[] {
  if (left.type === 'call' && isCronSetting(left) && right.type === 'hash') {
    return right.namedChildren.flatMap((pair) => {
      const value = pair?.type === 'pair' ? pair.childForFieldName('value') : null;
      return pair == null || value == null ? [] : entry(pair, value);
    });
  }
  if (left.type === 'element_reference') {
    const object = left.childForFieldName('object') ?? left.namedChild(0);
    if (object !== null && object.type === 'call' && isCronSetting(object)) return entry(left.parent ?? left, right);
  }
  return [];
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
    const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
    const name = key == null ? undefined : keyName(key);
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
