import type { Node } from 'web-tree-sitter';
import { JAVA_APIS, JAVA_KNOWN_CLASSES } from '../apis/java.js';
import { rawType, type JavaClassSummary, type JavaFileSummary } from './java-summary.js';

/**
 * A project class that wraps a mail or SMS client (piggymetrics' `EmailServiceImpl`, whose `send`
 * builds a message and hands it to an injected `JavaMailSender`): its methods that send, read
 * from its own fields' declared types. A class injected under its interface is the one bean
 * Spring finds for that interface, so when the project has exactly one implementation, a call of
 * the interface's method sends as that implementation's does (java-model.ts).
 */

/** The type the facts give a value of a sending project interface, followed by its simple name. */
export const JAVA_SENDER_TYPE = 'project-sender-type:';

/** Each method of `cls` that calls a notify API on a field of the class, or statically, and that API. */
export function sendingMethods(cls: Node, imports: Readonly<Record<string, string>>, wildcards: readonly string[]): Record<string, string> {
  const qualify = (simple: string): string | undefined => {
    if (imports[simple] !== undefined) return imports[simple];
    const pkg = wildcards.find((w) => JAVA_KNOWN_CLASSES.has(`${w}.${simple}`));
    return pkg === undefined ? undefined : `${pkg}.${simple}`;
  };
  const body = cls.childForFieldName('body');
  const fields = new Map<string, string>();
  for (const member of body?.namedChildren ?? []) {
    if (member?.type !== 'field_declaration') continue;
    const type = rawType(member.childForFieldName('type'));
    const qualified = type === undefined ? undefined : qualify(type);
    if (qualified === undefined) continue;
    for (const d of member.childrenForFieldName('declarator')) {
      const name = d?.childForFieldName('name')?.text;
      if (name !== undefined) fields.set(name, qualified);
    }
  }
  const sends: Record<string, string> = {};
  for (const member of body?.namedChildren ?? []) {
    const name = member?.type === 'method_declaration' ? member.childForFieldName('name')?.text : undefined;
    if (member == null || name === undefined) continue;
    for (const call of member.descendantsOfType('method_invocation')) {
      const object = call?.childForFieldName('object');
      const method = call?.childForFieldName('name')?.text;
      if (object == null || method === undefined) continue;
      const field = object.type === 'identifier' ? object.text
        : object.type === 'field_access' && object.childForFieldName('object')?.type === 'this' ? object.childForFieldName('field')?.text : undefined;
      // A local or parameter of the same name hides the field: only an unshadowed name is read.
      const owner = field === undefined ? undefined : shadowed(call, field, member) ? undefined : fields.get(field) ?? (object.type === 'identifier' ? qualify(field) : undefined);
      const api = owner === undefined ? undefined : `${owner}.${method}`;
      if (api !== undefined && JAVA_APIS.get(api) === 'notify') {
        sends[name] = api;
        break;
      }
    }
  }
  return sends;
}

/** Whether a parameter or local of the method declares `name` (then it is not the field). */
function shadowed(call: Node, name: string, method: Node): boolean {
  const declared = method.descendantsOfType(['formal_parameter', 'variable_declarator']).some((d) => d?.childForFieldName('name')?.text === name && d.startIndex < call.startIndex);
  return declared;
}

/**
 * The sending methods of the one project class that implements the interface `qualified`,
 * or undefined when the project has none, several, or one that sends nothing.
 */
export function soleImplementationSends(
  implementations: readonly string[],
  summaryOf: (file: string) => JavaFileSummary | undefined,
  implementsIt: (file: string, java: JavaFileSummary, written: string) => boolean,
): Readonly<Record<string, string>> | undefined {
  const found: JavaClassSummary[] = [];
  for (const file of implementations) {
    const java = summaryOf(file);
    if (java === undefined) continue;
    for (const cls of Object.values(java.classes)) {
      if (cls.implements?.some((written) => implementsIt(file, java, written)) === true) found.push(cls);
    }
  }
  const sends = found.length === 1 ? found[0]?.sends : undefined;
  return sends === undefined || Object.keys(sends).length === 0 ? undefined : sends;
}
