import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import type { SignalKind, TextEdit } from '../../types.js';
import { callsWithin } from '../rule.js';
import { enclosingOfType } from '../../parsing/enclosing.js';

/**
 * Reading Go code the way the rules need it, and the edit that adds an import. Fixes that need a
 * package the file does not import add it in gofmt's place: inside the parenthesised import list,
 * in order among the standard-library paths, indented like its neighbours.
 */

/** The local name of an imported package, when the file imports it. */
export function goPackage(facts: FileFacts, path: string): string | undefined {
  for (const imp of facts.imports.values()) if (imp.target === path) return imp.local;
  return undefined;
}

/**
 * How to spell package `path` (a standard-library path such as `time`) in a fix, with the import
 * edit that makes it available; undefined when its name is taken by another import.
 */
export function goImport(facts: FileFacts, path: string): { name: string; edits: TextEdit[] } | undefined {
  const local = goPackage(facts, path);
  if (local !== undefined) return { name: local, edits: [] };
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (facts.imports.has(name)) return undefined;
  const eol = facts.lines.eol;
  const declarations = facts.root.namedChildren.filter((c) => c?.type === 'import_declaration');
  const list = declarations.map((d) => d?.namedChildren.find((c) => c?.type === 'import_spec_list')).find((l) => l != null);
  if (list != null) {
    const specs = list.namedChildren.filter((c) => c?.type === 'import_spec');
    const first = specs[0];
    if (first == null) return { name, edits: [{ start: list.startIndex + 1, end: list.startIndex + 1, newText: `${eol}\t"${path}"${eol}` }] };
    const indent = facts.lines.indentAt(first.startIndex);
    // Standard-library paths have no dot; they come first and sorted.
    const std = specs.filter((s) => s !== null && !(s.childForFieldName('path')?.text ?? '').includes('.'));
    const next = std.find((s) => (s?.childForFieldName('path')?.text ?? '') > `"${path}"`);
    if (next != null) return { name, edits: [{ start: next.startIndex, end: next.startIndex, newText: `"${path}"${eol}${indent}` }] };
    const last = std[std.length - 1];
    if (last != null) return { name, edits: [{ start: last.endIndex, end: last.endIndex, newText: `${eol}${indent}"${path}"` }] };
    return { name, edits: [{ start: first.startIndex, end: first.startIndex, newText: `"${path}"${eol}${eol}${indent}` }] };
  }
  const lastDecl = declarations[declarations.length - 1];
  if (lastDecl != null) return { name, edits: [{ start: lastDecl.endIndex, end: lastDecl.endIndex, newText: `${eol}import "${path}"` }] };
  const pkg = facts.root.namedChildren.find((c) => c?.type === 'package_clause');
  if (pkg == null) return undefined;
  return { name, edits: [{ start: pkg.endIndex, end: pkg.endIndex, newText: `${eol}${eol}import "${path}"` }] };
}

/** The function a call names, as written (`http.Get`, `client.Do`), for messages. */
export function written(facts: FileFacts, call: CallFact): string {
  return facts.text.slice(call.calleeStart, call.calleeEnd);
}

const FUNCTION_TYPES = ['function_declaration', 'method_declaration', 'func_literal'] as const;
const FUNCTIONS = new Set<string>(FUNCTION_TYPES);

/** The function, method or function literal a node is written in. */
export function goFunctionOf(node: Node): Node | undefined {
  return enclosingOfType(node, FUNCTION_TYPES);
}

/** Whether `node` is a function, method or function literal: its body runs at another time. */
export function isGoFunction(node: Node): boolean {
  return FUNCTIONS.has(node.type);
}

/** The statements of a block, whether or not the grammar wraps them in a `statement_list`. */
export function blockStatements(block: Node | null | undefined): Node[] {
  if (block == null) return [];
  const list = block.namedChildren.find((c) => c?.type === 'statement_list') ?? block;
  return list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The last statement of a block leaves the enclosing loop or function (`return`, `break`). */
export function endsWithExit(block: Node | null | undefined): boolean {
  const last = blockStatements(block).at(-1);
  return last?.type === 'return_statement' || last?.type === 'break_statement';
}

/** The calls of the file made in `fn`'s own body, not in function literals nested in it. */
export function goCallsIn(facts: FileFacts, fn: Node): CallFact[] {
  return callsWithin(facts, fn).filter((c) => goFunctionOf(c.node)?.id === fn.id);
}

const UNITS = new Set(['Nanosecond', 'Microsecond', 'Millisecond', 'Second', 'Minute', 'Hour']);

/**
 * Whether an expression is the same duration every time it is evaluated in `scope`: literals,
 * `time` units, package constants, arithmetic and conversions of them, and local variables set
 * once before `scope` and never assigned in it.
 */
export function isConstantDuration(facts: FileFacts, node: Node, scope: Node): boolean {
  switch (node.type) {
    case 'int_literal':
    case 'float_literal':
      return true;
    case 'parenthesized_expression':
    case 'unary_expression': {
      const inner = node.type === 'unary_expression' ? node.childForFieldName('operand') : node.namedChild(0);
      return inner !== null && (node.type !== 'unary_expression' || /^[-+]/.test(node.text)) && isConstantDuration(facts, inner, scope);
    }
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      return left !== null && right !== null && isConstantDuration(facts, left, scope) && isConstantDuration(facts, right, scope);
    }
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      return operand !== null && operand.text === goPackage(facts, 'time') && UNITS.has(node.childForFieldName('field')?.text ?? '');
    }
    case 'call_expression': {
      // `time.Duration(n)`: a conversion of a constant.
      const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
      const fn = node.childForFieldName('function');
      const arg = args[0];
      return fn?.type === 'selector_expression' && fn.text === `${goPackage(facts, 'time') ?? ''}.Duration` && args.length === 1 && arg != null && isConstantDuration(facts, arg, scope);
    }
    case 'identifier': {
      const value = settledValue(facts, node, scope);
      return value !== undefined && isConstantDuration(facts, value, scope);
    }
    default:
      return false;
  }
}

/**
 * The value a name holds throughout `scope`: a package-level `const` or `var`, or a local declared
 * before `scope` (`delay := 2 * time.Second`) that nothing in the function assigns again.
 */
function settledValue(facts: FileFacts, name: Node, scope: Node): Node | undefined {
  for (const top of facts.root.namedChildren) {
    if (top?.type !== 'const_declaration' && top?.type !== 'var_declaration') continue;
    for (const spec of top.descendantsOfType(['const_spec', 'var_spec'])) {
      const names = spec?.childrenForFieldName('name') ?? [];
      const values = spec?.childForFieldName('value')?.namedChildren ?? [];
      const i = names.findIndex((n) => n?.text === name.text);
      const value = values[i];
      if (i >= 0 && names.length === values.length && value != null && !assignedIn(facts.root, name.text, value)) return value;
    }
  }
  const fn = goFunctionOf(scope);
  if (fn === undefined) return undefined;
  const scopeStart = scope.startIndex;
  const declarations = fn.descendantsOfType('short_var_declaration').filter((d) => d !== null && d.endIndex <= scopeStart);
  for (const declaration of declarations) {
    const names = declaration?.childForFieldName('left')?.namedChildren ?? [];
    const values = declaration?.childForFieldName('right')?.namedChildren ?? [];
    const i = names.findIndex((n) => n?.text === name.text);
    const value = values[i];
    if (i >= 0 && names.length === values.length && value != null) return assignedIn(fn, name.text, declaration ?? undefined) ? undefined : value;
  }
  return undefined;
}

/** Whether `root` assigns `name` (`=`, `*=`, `++`...) anywhere but in `except`. */
function assignedIn(root: Node, name: string, except: Node | undefined): boolean {
  for (const n of root.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement'])) {
    if (n === null || (except !== undefined && n.startIndex >= except.startIndex && n.endIndex <= except.endIndex)) continue;
    const targets = n.type === 'assignment_statement' ? (n.childForFieldName('left')?.namedChildren ?? []) : [n.namedChild(0)];
    if (targets.some((t) => t?.text === name)) return true;
  }
  return false;
}

const SIDE_EFFECT_KINDS = new Set<SignalKind>(['http-call', 'enqueue', 'notify', 'payment']);
/** Database writes by method name: `db.Exec`, `tx.ExecContext`, sqlx's `NamedExec`. */
const WRITE_METHODS = new Set(['Exec', 'ExecContext', 'NamedExec', 'NamedExecContext', 'MustExec', 'MustExecContext']);
/** Names that hold no part of a message: the blank identifier, and the error a call returns by convention. */
const NOT_DATA = new Set(['_', 'err']);
const BUILTINS = new Set(['append', 'cap', 'copy', 'delete', 'len', 'make', 'new', 'panic', 'print', 'println', 'string', 'min', 'max', 'clear']);

/**
 * The first call in `scope`, starting at or after `from`, that acts on the world: an HTTP call,
 * a publish, a notification or a payment the file resolves, a database `Exec`, or a call that
 * hands it the message (the variable `message`, or one set from it, such as the target of
 * `json.Unmarshal(m.Value, &order)`) and is neither the standard library's (decoding, logging,
 * formatting) nor a builtin nor a method of the message itself.
 */
export function goSideEffect(facts: FileFacts, scope: Node, from: number, message: string | undefined): Node | undefined {
  const byNode = new Map(facts.calls.map((c) => [c.node.id, c]));
  const derived = new Set(message === undefined ? [] : [message]);
  const mentions = (node: Node | null): boolean => [...derived].some((name) => mentionsName(node, name));
  for (const node of scope.descendantsOfType(['call_expression', 'short_var_declaration', 'assignment_statement'])) {
    if (node === null || node.startIndex < from) continue;
    if (node.type !== 'call_expression') {
      if (mentions(node.childForFieldName('right'))) for (const n of node.childForFieldName('left')?.namedChildren ?? []) if (n?.type === 'identifier' && !NOT_DATA.has(n.text)) derived.add(n.text);
      continue;
    }
    const fact = byNode.get(node.id);
    const kind = fact === undefined ? undefined : signalKindOf(facts.language, fact);
    if (kind !== undefined && SIDE_EFFECT_KINDS.has(kind) && !/\.New\w*$/.test(fact?.api ?? '')) return node;
    const fn = node.childForFieldName('function');
    const method = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
    if (method !== undefined && WRITE_METHODS.has(method)) return node;
    const args = node.childForFieldName('arguments');
    if (fn === null || !mentions(args)) continue;
    if (fn.type === 'identifier' && BUILTINS.has(fn.text)) continue;
    const operand = fn.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
    if (operand !== null && derived.has(operand.text)) continue;
    const target = operand?.type === 'identifier' ? facts.imports.get(operand.text)?.target : undefined;
    if (target === undefined || target.includes('.')) return node;
    // A standard-library call that fills `&x` from the message (decoding) makes `x` the message too.
    for (const arg of args?.namedChildren ?? []) {
      const inner = arg?.type === 'unary_expression' && arg.text.startsWith('&') ? arg.childForFieldName('operand') : undefined;
      if (inner?.type === 'identifier') derived.add(inner.text);
    }
  }
  return undefined;
}

/** Whether an identifier spelled `name` appears in `node`. */
export function mentionsName(node: Node | null, name: string): boolean {
  return node !== null && (node.text === name || node.descendantsOfType('identifier').some((n) => n?.text === name));
}
