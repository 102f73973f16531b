import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../../lookup.js';

/**
 * A function of the same file that builds a library object and returns it
 * (`def get_smtp(...): smtp = smtplib.SMTP(...); ...; return smtp`): calling it gives that object,
 * so `get_smtp().send_message(msg)` is an SMTP send. Only the function's own statements are read
 * (not nested functions); every `return` must give a call, or a name the body assigns only from
 * calls, and all of them must build the same type. Anything else (a parameter, a literal, two
 * different types) leaves the function unknown, as before.
 */

/** Classes whose instances the API table knows under their base class's name. */
const SAME_INSTANCE: Readonly<Record<string, string>> = lookupTable({
  'smtplib.SMTP_SSL': 'smtplib.SMTP',
  'smtplib.LMTP': 'smtplib.SMTP',
});

/**
 * The type calling `fn` returns, given `typeOfCall`, which types a call from the names bound so
 * far (imports, by the time definitions are read). Undefined when it is not one known type.
 */
export function localFactoryType(fn: Node, typeOfCall: (call: Node) => string | undefined): string | undefined {
  const body = fn.childForFieldName('body');
  if (fn.type !== 'function_definition' || body === null) return undefined;
  const assigned = new Map<string, Node[]>();
  const returned: Node[] = [];
  let unknown = false;
  const visit = (block: Node): void => {
    for (const child of block.namedChildren) {
      if (child === null || unknown) continue;
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'decorated_definition') continue;
      if (child.type === 'return_statement') {
        const value = child.namedChild(0);
        if (value === null) unknown = true;
        else returned.push(value);
        continue;
      }
      if (child.type === 'expression_statement') {
        const expr = child.namedChild(0);
        if (expr?.type === 'assignment' || expr?.type === 'augmented_assignment') {
          const left = expr.childForFieldName('left');
          const right = expr.childForFieldName('right');
          if (left?.type === 'identifier') {
            const values = assigned.get(left.text) ?? [];
            // An augmented assignment or an assignment of no call makes the name unknown.
            values.push(expr.type === 'assignment' && right !== null ? right : expr);
            assigned.set(left.text, values);
          }
        }
        continue;
      }
      visit(child);
    }
  };
  visit(body);
  if (unknown || returned.length === 0) return undefined;
  let type: string | undefined;
  for (const value of returned) {
    const sources = value.type === 'identifier' ? assigned.get(value.text) : [value];
    if (sources === undefined) return undefined;
    for (const source of sources) {
      const made = source.type === 'call' ? typeOfCall(source) : undefined;
      if (made === undefined) return undefined;
      const normal = SAME_INSTANCE[made] ?? made;
      if (type !== undefined && type !== normal) return undefined;
      type = normal;
    }
  }
  return type;
}
