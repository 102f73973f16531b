import type { Node } from 'web-tree-sitter';
import { GO_APIS } from '../apis/go.js';
import { WRAPPED_KINDS } from '../apis/wrapped.js';

/**
 * Go functions and methods of a file that wrap a library call a caller must know about (an HTTP
 * call, a send, a publish, a payment, a schedule, a lock): navidrome's `scheduler.Add`, whose body
 * calls `s.c.Schedule(...)` on the `*cron.Cron` its struct holds; a helper of another package that
 * POSTs through `http.Post`. Read from the file alone: a call of an imported package's function
 * (`http.Post`), or of a method of a library type held in a field of the receiver's struct declared
 * in the same file (`s.c.Schedule`). The model (go-model.ts) makes the calls of these functions, and
 * of these methods through a value of the type, signals of the wrapped call's kind in other files;
 * what the rules judge there is the caller's context, never the wrapped call's options, which are
 * judged once, inside the wrapper.
 */

export interface GoWrappers {
  /** `Func` or `Type.Method` → the library API its body calls (the first one). */
  readonly wraps: Record<string, string>;
  /** Each named type's methods declared in the file, sorted. */
  readonly methods: Record<string, string[]>;
  /** Each interface type's method names, sorted. */
  readonly interfaces: Record<string, string[]>;
}

export function goWrappers(root: Node, imports: Readonly<Record<string, string>>): GoWrappers {
  // Keyed by Go names, which may be `constructor`: no prototype to inherit from.
  const wraps: Record<string, string> = Object.create(null) as Record<string, string>;
  const methods: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const interfaces: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const structs = new Map<string, Map<string, string>>();
  for (const child of root.namedChildren) {
    if (child?.type !== 'type_declaration') continue;
    for (const spec of child.namedChildren) {
      const name = spec?.type === 'type_spec' ? spec.childForFieldName('name')?.text : undefined;
      const type = spec?.childForFieldName('type');
      if (name === undefined || type == null) continue;
      if (type.type === 'interface_type') {
        interfaces[name] = type.namedChildren.filter((m) => m?.type === 'method_elem' || m?.type === 'method_spec').map((m) => m?.childForFieldName('name')?.text ?? '').filter((n) => n !== '').sort();
      } else if (type.type === 'struct_type') {
        const fields = new Map<string, string>();
        for (const field of type.descendantsOfType('field_declaration')) {
          if (field?.parent?.parent?.id !== type.id) continue;
          const api = libraryType(field.childForFieldName('type'), imports);
          if (api === undefined) continue;
          for (const n of field.childrenForFieldName('name')) if (n !== null) fields.set(n.text, api);
        }
        structs.set(name, fields);
      }
    }
  }
  for (const child of root.namedChildren) {
    if (child?.type !== 'function_declaration' && child?.type !== 'method_declaration') continue;
    const name = child.childForFieldName('name')?.text;
    const body = child.childForFieldName('body');
    if (name === undefined || body === null) continue;
    let key = name;
    let receiver: string | undefined;
    let receiverType: string | undefined;
    if (child.type === 'method_declaration') {
      const param = child.childForFieldName('receiver')?.namedChildren.find((p) => p?.type === 'parameter_declaration');
      receiver = param?.childForFieldName('name')?.text;
      receiverType = typeName(param?.childForFieldName('type') ?? null);
      if (receiverType === undefined) continue;
      key = `${receiverType}.${name}`;
      (methods[receiverType] ??= []).push(name);
    }
    for (const call of body.descendantsOfType('call_expression')) {
      const fn = call?.childForFieldName('function');
      if (fn?.type !== 'selector_expression') continue;
      const operand = fn.childForFieldName('operand');
      const field = fn.childForFieldName('field')?.text;
      if (operand == null || field === undefined) continue;
      let api: string | undefined;
      if (operand.type === 'identifier' && operand.text !== receiver && imports[operand.text] !== undefined) api = `${imports[operand.text]}.${field}`;
      else if (operand.type === 'selector_expression' && receiverType !== undefined && operand.childForFieldName('operand')?.text === receiver) {
        const held = structs.get(receiverType)?.get(operand.childForFieldName('field')?.text ?? '');
        if (held !== undefined) api = `${held}.${field}`;
      }
      const kind = api === undefined ? undefined : GO_APIS.get(api);
      if (api !== undefined && kind !== undefined && WRAPPED_KINDS.has(kind) && !/\.New\w*$/.test(api)) {
        wraps[key] = api;
        break;
      }
    }
  }
  for (const list of Object.values(methods)) list.sort();
  return { wraps: sorted(wraps), methods: sorted(methods), interfaces: sorted(interfaces) };
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k] as T]));
}

/** `*T`, `T` (a receiver's type), without type parameters. */
function typeName(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'pointer_type' || node.type === 'parenthesized_type') return typeName(node.namedChild(0));
  if (node.type === 'generic_type') return typeName(node.childForFieldName('type'));
  return node.type === 'type_identifier' ? node.text : undefined;
}

/** A field type that names a library type: `*cron.Cron` → `github.com/robfig/cron.Cron`. */
function libraryType(node: Node | null, imports: Readonly<Record<string, string>>): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'pointer_type') return libraryType(node.namedChild(0), imports);
  if (node.type !== 'qualified_type') return undefined;
  const pkg = imports[node.childForFieldName('package')?.text ?? ''];
  const name = node.childForFieldName('name')?.text;
  return pkg === undefined || name === undefined ? undefined : `${pkg}.${name}`;
}
