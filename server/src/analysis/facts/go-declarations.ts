import type { Node } from 'web-tree-sitter';

/*
 * What a Go file declares at its top level, indexed once per file for the facts: its interfaces'
 * embedded library interfaces, its methods' and functions' result types, and its structs' fields.
 */

/**
 * The library interfaces each interface of this file embeds (`channelDependencies` embedding
 * `httpx.ClientProvider`), by interface name: a method the file's interface gets from one of them
 * returns what the library's does. An interface declared twice is left out, as structs are.
 */
export function embeddedInterfaces(root: Node): Map<string, Node[]> {
  const found = new Map<string, Node[]>();
  const twice = new Set<string>();
  for (const spec of root.descendantsOfType('type_spec')) {
    const name = spec?.childForFieldName('name')?.text;
    const type = spec?.childForFieldName('type');
    if (name === undefined || type?.type !== 'interface_type') continue;
    if (found.has(name)) twice.add(name);
    const embedded = type.namedChildren.filter((c): c is Node => c?.type === 'type_elem').map((e) => e.namedChild(0)).filter((t): t is Node => t?.type === 'qualified_type');
    found.set(name, embedded);
  }
  for (const name of twice) found.delete(name);
  return found;
}

/** The first result type of each method of the file, by `Type.method` (a pointer receiver's type without its `*`). */
export function fileMethods(root: Node): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const fn of root.namedChildren) {
    if (fn?.type !== 'method_declaration') continue;
    let receiver = fn.childForFieldName('receiver')?.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('type') ?? null;
    if (receiver?.type === 'pointer_type') receiver = receiver.namedChild(0);
    let result = fn.childForFieldName('result');
    if (result?.type === 'parameter_list') result = result.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('type') ?? null;
    const name = fn.childForFieldName('name')?.text;
    if (receiver?.type === 'type_identifier' && name !== undefined && result != null) found.set(`${receiver.text}.${name}`, result);
  }
  return found;
}

/**
 * The functions this file declares with their first result type (`*kafka.Reader` of
 * `func getKafkaReader(...) (*kafka.Reader, error)`), and the start of the value they build when
 * their one `return` hands out a call or a literal written there.
 */
export function fileFunctions(root: Node): Map<string, { result: Node; returned: number | undefined }> {
  const found = new Map<string, { result: Node; returned: number | undefined }>();
  for (const fn of root.namedChildren) {
    if (fn?.type !== 'function_declaration') continue;
    const name = fn.childForFieldName('name')?.text;
    let result = fn.childForFieldName('result');
    if (result?.type === 'parameter_list') result = result.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('type') ?? null;
    if (name === undefined || result == null) continue;
    const body = fn.childForFieldName('body');
    const returns = body === null ? [] : body.descendantsOfType('return_statement').filter((r) => r !== null && !insideLiteral(r, body));
    let value = returns.length === 1 ? returns[0]?.namedChild(0)?.namedChild(0) : undefined;
    if (value?.type === 'unary_expression' && value.child(0)?.type === '&') value = value.childForFieldName('operand');
    const returned = value?.type === 'call_expression' || value?.type === 'composite_literal' ? value.startIndex : undefined;
    found.set(name, { result, returned });
  }
  return found;
}

/** Whether `node` sits in a function literal inside `body`. */
function insideLiteral(node: Node, body: Node): boolean {
  for (let n = node.parent; n !== null && n.id !== body.id; n = n.parent) if (n.type === 'func_literal') return true;
  return false;
}

/**
 * The named fields of the structs this file declares, by struct name, with their declared types
 * (`rclient redis.UniversalClient`). A name declared twice (in two functions) is left out, since
 * which one a value has is not known here; embedded fields have no name and are not read.
 */
export function structFields(root: Node): Map<string, Map<string, Node>> {
  const structs = new Map<string, Map<string, Node>>();
  const twice = new Set<string>();
  for (const spec of root.descendantsOfType('type_spec')) {
    const name = spec?.childForFieldName('name')?.text;
    const type = spec?.childForFieldName('type');
    if (name === undefined || type?.type !== 'struct_type') continue;
    if (structs.has(name)) twice.add(name);
    const fields = new Map<string, Node>();
    for (const field of type.descendantsOfType('field_declaration')) {
      // Only this struct's own fields, not those of a struct type nested in one of them.
      if (field?.parent?.parent?.id !== type.id) continue;
      const fieldType = field.childForFieldName('type');
      if (fieldType === null) continue;
      for (const fieldName of field.childrenForFieldName('name')) if (fieldName !== null) fields.set(fieldName.text, fieldType);
    }
    structs.set(name, fields);
  }
  for (const name of twice) structs.delete(name);
  return structs;
}
