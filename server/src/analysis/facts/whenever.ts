import type { Node } from 'web-tree-sitter';

/** whenever's job types: the three it ships, and `script` of its older versions. */
const WHENEVER_JOBS = new Set(['command', 'runner', 'rake', 'script']);

/**
 * An `every` of whenever's schedule file (`config/schedule.rb`, written to the crontab by the
 * `whenever` command): a bare `every 3.hours do ... end` outside any class or method whose block
 * runs a job type, one of whenever's own (`runner "Model.task"`, `rake "task"`, `command "..."`)
 * or one the file defines with `job_type :name, template`. A bare `every` of other code (a
 * method of the file's own, a block that runs no job) is not whenever's.
 */
export function isWheneverEvery(node: Node): boolean {
  const block = node.childForFieldName('block');
  if (block === null) return false;
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'class' || n.type === 'module' || n.type === 'method' || n.type === 'singleton_method' || n.type === 'block' || n.type === 'do_block') return false;
  }
  const defined = new Set(WHENEVER_JOBS);
  for (const call of node.tree.rootNode.descendantsOfType('call')) {
    const first = call?.childForFieldName('method')?.text === 'job_type' ? call.childForFieldName('arguments')?.namedChild(0) : null;
    if (first != null && first.type === 'simple_symbol') defined.add(first.text.slice(1));
  }
  return block.descendantsOfType('call').some((n) => n !== null && n.childForFieldName('receiver') === null && defined.has(n.childForFieldName('method')?.text ?? ''));
}
