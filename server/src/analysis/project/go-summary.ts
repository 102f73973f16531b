import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';
import { canonicalGoPath, packageName } from '../facts/go.js';
import type { ModuleSummary, NameSummary } from './types.js';
import { goWrappers, type GoWrappers } from './go-wrappers.js';

/**
 * A Go file's export summary: its package clause, its imports, and what each package-level name
 * is bound to, read from declarations only. Every file of a package directory sees the others'
 * package-level names, so a file's summary is what its siblings learn from it. Function bodies
 * count only through `init()` assignments to package-level values (`client.Timeout = ...`), which
 * configure the value for the whole package; any other edit inside a body leaves the summary equal.
 */

/** A type as written: an imported package's local name (empty for the file's own package) and the type's name. */
export interface GoTypeRef {
  readonly pkg: string;
  readonly name: string;
}

/** What a package-level name is bound to. */
export type GoValue =
  /** A composite literal (`&http.Client{Timeout: t}`): the keyed fields it sets, `zero` for a literal 0; `opaque` with unkeyed fields. */
  | { readonly kind: 'literal'; readonly type: GoTypeRef; readonly fields: Readonly<Record<string, 'set' | 'zero'>>; readonly opaque: boolean }
  /** A call of a function (`asynq.NewClient(opt)`, `newClient()`); its value is what the function returns. */
  | { readonly kind: 'call'; readonly callee: GoTypeRef }
  /** A variable declared with a type and no value, or a value this summary cannot read: the type is known, not its configuration. */
  | { readonly kind: 'typed'; readonly type: GoTypeRef }
  /** A function and the type of its first result, as declared. */
  | { readonly kind: 'func'; readonly result: GoTypeRef | undefined }
  | { readonly kind: 'unknown' };

export interface GoFileSummary {
  readonly package: string;
  /** Import local name → canonical import path. */
  readonly imports: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, { readonly value: GoValue; readonly at: NameSummary['at'] }>>;
  /** Fields of package-level values assigned in `init()`: `partnerClient` → `['Timeout']`. */
  readonly initialised: Readonly<Record<string, readonly string[]>>;
  /**
   * The named fields of the structs the file declares, with their declared types when they are
   * named types (`client *client.API`): methods in other files of the package read them.
   */
  readonly structs?: Readonly<Record<string, Readonly<Record<string, GoTypeRef>>>>;
  /** Functions and methods that wrap a library call, and the method sets of the file's types (go-wrappers.ts). */
  readonly wrappers?: GoWrappers;
}

const NO_POSITION: NameSummary['at'] = { line: 0, character: 0, endLine: 0, endCharacter: 0 };

export function goSummary(root: Node): ModuleSummary {
  const imports: Record<string, string> = {};
  const values = new Map<string, { value: GoValue; at: NameSummary['at'] } | 'conflict'>();
  const initialised: Record<string, string[]> = {};
  const structs: Record<string, Record<string, GoTypeRef>> = {};
  const twice = new Set<string>();
  let pkg = '';
  const define = (name: Node, value: GoValue): void => {
    if (name.text === '_') return;
    values.set(name.text, values.has(name.text) ? 'conflict' : { value, at: at(name) });
  };
  for (const child of root.namedChildren) {
    if (child === null) continue;
    switch (child.type) {
      case 'package_clause':
        pkg = child.namedChild(0)?.text ?? '';
        break;
      case 'import_declaration':
        for (const spec of child.descendantsOfType('import_spec')) {
          const path = spec?.childForFieldName('path');
          const alias = spec?.childForFieldName('name')?.text;
          if (path == null || alias === '_' || alias === '.') continue;
          const target = canonicalGoPath(unquote(path.text));
          imports[alias ?? packageName(target)] = target;
        }
        break;
      case 'var_declaration':
      case 'const_declaration':
        for (const spec of child.descendantsOfType(['var_spec', 'const_spec'])) {
          if (spec === null) continue;
          const names = spec.childrenForFieldName('name').filter((n): n is Node => n !== null);
          const exprs = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
          const declared = typeRef(spec.childForFieldName('type'));
          names.forEach((name, i) => {
            const expr = exprs.length === names.length ? exprs[i] : undefined;
            const value = expr === undefined ? undefined : valueOf(expr);
            define(name, value !== undefined && value.kind !== 'unknown' ? value : declared !== undefined ? { kind: 'typed', type: declared } : { kind: 'unknown' });
          });
        }
        break;
      case 'type_declaration':
        for (const spec of child.namedChildren) {
          const name = spec?.type === 'type_spec' ? spec.childForFieldName('name')?.text : undefined;
          const type = spec?.childForFieldName('type');
          if (name === undefined || type?.type !== 'struct_type') continue;
          const fields: Record<string, GoTypeRef> = {};
          for (const field of type.descendantsOfType('field_declaration')) {
            // Only this struct's own fields, not those of a struct type nested in one of them.
            if (field?.parent?.parent?.id !== type.id) continue;
            const ref = typeRef(field.childForFieldName('type'));
            if (ref === undefined) continue;
            for (const fieldName of field.childrenForFieldName('name')) if (fieldName !== null) fields[fieldName.text] = ref;
          }
          // A name declared twice does not compile: neither is kept.
          if (structs[name] !== undefined) twice.add(name);
          structs[name] = fields;
        }
        break;
      case 'function_declaration': {
        const name = child.childForFieldName('name');
        if (name === null) break;
        if (name.text === 'init') readInit(child.childForFieldName('body'), initialised);
        else define(name, { kind: 'func', result: firstResult(child.childForFieldName('result')) });
        break;
      }
      default:
    }
  }
  const sorted: Record<string, { value: GoValue; at: NameSummary['at'] }> = {};
  for (const name of [...values.keys()].sort()) {
    const value = values.get(name);
    sorted[name] = value === undefined || value === 'conflict' ? { value: { kind: 'unknown' }, at: NO_POSITION } : value;
  }
  for (const fields of Object.values(initialised)) fields.sort();
  for (const name of twice) delete structs[name];
  const wrappers = goWrappers(root, imports);
  const wrapping = Object.keys(wrappers.wraps).length > 0 || Object.keys(wrappers.interfaces).length > 0 || Object.keys(wrappers.methods).length > 0;
  const go: GoFileSummary = {
    package: pkg, imports, values: sorted, initialised,
    ...(Object.keys(structs).length === 0 ? {} : { structs: sortedStructs(structs) }),
    ...(wrapping ? { wrappers } : {}),
  };
  return { language: 'go', imports: {}, names: {}, celery: {}, settings: {}, environ: {}, reaches: [...new Set(Object.values(imports))].sort(), go };
}

/** Structs and their fields in name order, so that equal declarations give equal summaries. */
function sortedStructs(structs: Record<string, Record<string, GoTypeRef>>): Record<string, Record<string, GoTypeRef>> {
  const out: Record<string, Record<string, GoTypeRef>> = {};
  for (const name of Object.keys(structs).sort()) {
    const fields = structs[name] ?? {};
    out[name] = Object.fromEntries(Object.keys(fields).sort().map((f) => [f, fields[f] as GoTypeRef]));
  }
  return out;
}

function at(node: Node): NameSummary['at'] {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}

/** `http.Client`, `*http.Client`, `Client`: a named type; anything else (maps, slices, interfaces) is not one. */
function typeRef(node: Node | null): GoTypeRef | undefined {
  if (node === null) return undefined;
  if (node.type === 'pointer_type' || node.type === 'parenthesized_type') return typeRef(node.namedChild(0));
  if (node.type === 'qualified_type') {
    const pkg = node.childForFieldName('package')?.text;
    const name = node.childForFieldName('name')?.text;
    return pkg === undefined || name === undefined ? undefined : { pkg, name };
  }
  if (node.type === 'type_identifier') return { pkg: '', name: node.text };
  return undefined;
}

/** A callee or composite type written as `pkg.Name` or `Name`. */
function nameRef(node: Node | null): GoTypeRef | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier') return { pkg: '', name: node.text };
  if (node.type === 'selector_expression') {
    const operand = node.childForFieldName('operand');
    const field = node.childForFieldName('field')?.text;
    return operand?.type === 'identifier' && field !== undefined ? { pkg: operand.text, name: field } : undefined;
  }
  return typeRef(node);
}

function valueOf(node: Node): GoValue {
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChild(0);
    return inner === null ? { kind: 'unknown' } : valueOf(inner);
  }
  if (node.type === 'unary_expression' && node.child(0)?.type === '&') {
    const operand = node.childForFieldName('operand');
    return operand === null ? { kind: 'unknown' } : valueOf(operand);
  }
  if (node.type === 'composite_literal') {
    const type = typeRef(node.childForFieldName('type'));
    if (type === undefined) return { kind: 'unknown' };
    const fields: Record<string, 'set' | 'zero'> = {};
    let opaque = false;
    for (const element of node.childForFieldName('body')?.namedChildren ?? []) {
      if (element === null || element.type === 'comment') continue;
      const key = element.type === 'keyed_element' ? element.childForFieldName('key')?.text : undefined;
      const value = element.childForFieldName('value');
      if (key === undefined || value === null) opaque = true;
      else fields[key] = /^0+$/.test(value.text.trim()) ? 'zero' : 'set';
    }
    return { kind: 'literal', type, fields, opaque };
  }
  if (node.type === 'call_expression') {
    const callee = nameRef(node.childForFieldName('function'));
    return callee === undefined ? { kind: 'unknown' } : { kind: 'call', callee };
  }
  return { kind: 'unknown' };
}

/** The first result type of a function: `*asynq.Client` of `(*asynq.Client, error)`. */
function firstResult(result: Node | null): GoTypeRef | undefined {
  if (result === null) return undefined;
  if (result.type === 'parameter_list') return typeRef(result.namedChildren.find((p) => p?.type === 'parameter_declaration')?.childForFieldName('type') ?? null);
  return typeRef(result);
}

/** `client.Timeout = ...` at the top level of `init()`'s body. */
function readInit(body: Node | null, initialised: Record<string, string[]>): void {
  for (const assignment of body?.descendantsOfType('assignment_statement') ?? []) {
    for (const target of assignment?.childForFieldName('left')?.namedChildren ?? []) {
      if (target?.type !== 'selector_expression') continue;
      const operand = target.childForFieldName('operand');
      const field = target.childForFieldName('field')?.text;
      if (operand?.type !== 'identifier' || field === undefined) continue;
      const fields = (initialised[operand.text] ??= []);
      if (!fields.includes(field)) fields.push(field);
    }
  }
}
