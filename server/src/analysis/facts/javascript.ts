import type { Language, Node, Tree } from 'web-tree-sitter';
import type { LanguageId } from '../types.js';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, itemIndent, linkReceivers, preferredQuote, unquote } from './common.js';
import type { ArgumentsFact, CallFact, FileFacts, ImportFact, ObjectFact, PropertyFact, ValueFact, ValueKind } from './types.js';

const QUERY = `
(import_statement) @import
(variable_declarator name: (_) @left value: (_) @right) @declare
(assignment_expression left: (_) @left right: (_) @right) @assign
(public_field_definition name: (_) @left value: (_) @right) @field
(function_declaration name: (identifier) @bound)
(formal_parameters (_) @param)
(call_expression) @call
(new_expression) @call
(string) @string
`;

/** What calling an API returns, where that is not an instance of the API itself. */
const RETURNS: Readonly<Record<string, string>> = {
  'axios.create': 'axios.Instance',
  'got.extend': 'got.Instance',
  'node-fetch': 'fetch',
};

interface Symbol {
  readonly type: string;
  readonly originStart: number | undefined;
}

/** Reads calls, imports and constants off a JavaScript, TypeScript or TSX syntax tree. */
export function javascriptFacts(tree: Tree, language: Language, languageId: LanguageId, text: string): FileFacts {
  const lines = new LineIndex(text);
  const imports = new Map<string, ImportFact>();
  const symbols = new Map<string, Symbol>();
  const constants = new Map<string, ValueFact>();
  const configuredMembers = new Set<string>();
  const bindings: { left: Node; right: Node; node: Node }[] = [];
  const callNodes: Node[] = [];
  const strings: Node[] = [];
  const boundNames = new Set<string>();

  for (const match of compiledQuery(language, QUERY).matches(tree.rootNode)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const left = match.captures.find((c) => c.name === 'left')?.node;
    const right = match.captures.find((c) => c.name === 'right')?.node;
    switch (first.name) {
      case 'import':
        readImport(first.node, imports);
        break;
      case 'declare':
      case 'assign':
      case 'field':
        if (left !== undefined && right !== undefined) {
          if (!readRequire(left, right, first.node, imports)) bindings.push({ left, right, node: first.node });
          if (first.name !== 'assign' && left.type === 'identifier') boundNames.add(left.text);
        }
        break;
      case 'bound':
        boundNames.add(first.node.text);
        break;
      case 'param': {
        const pattern = first.node.childForFieldName('pattern') ?? first.node;
        if (pattern.type === 'identifier') boundNames.add(pattern.text);
        break;
      }
      case 'call':
        callNodes.push(first.node);
        break;
      case 'string':
        if (strings.length < 200) strings.push(first.node);
        break;
    }
  }
  // A file that declares its own `fetch` is not calling the platform's.
  const globalFetch = !boundNames.has('fetch') || imports.get('fetch')?.target === 'node-fetch';

  const resolve = (node: Node | null): string | undefined => {
    if (node === null) return undefined;
    switch (node.type) {
      case 'identifier': {
        const imported = imports.get(node.text)?.target ?? symbols.get(node.text)?.type;
        if (imported !== undefined) return imported;
        return node.text === 'fetch' && globalFetch ? 'fetch' : undefined;
      }
      case 'member_expression': {
        const own = symbols.get(node.text);
        if (own !== undefined) return own.type;
        const base = resolve(node.childForFieldName('object'));
        const property = node.childForFieldName('property');
        return base !== undefined && property !== null ? `${base}.${property.text}` : undefined;
      }
      case 'call_expression': {
        const api = resolve(unwrap(node.childForFieldName('function')));
        return api === undefined ? undefined : (RETURNS[api] ?? api);
      }
      case 'new_expression':
        return resolve(node.childForFieldName('constructor'));
      case 'await_expression':
      case 'parenthesized_expression':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression':
        return resolve(node.namedChild(0));
      default:
        return undefined;
    }
  };

  for (const { left, right, node } of bindings) {
    const target = left.type === 'property_identifier' ? `this.${left.text}` : left.text;
    if (left.type === 'identifier' || left.type === 'member_expression' || left.type === 'property_identifier') {
      const valueNode = right.type === 'await_expression' ? right.namedChild(0) : right;
      if (valueNode !== null && (valueNode.type === 'call_expression' || valueNode.type === 'new_expression')) {
        const type = resolve(valueNode);
        if (type !== undefined) symbols.set(target, { type, originStart: valueNode.startIndex });
      }
    }
    if (left.type === 'member_expression') {
      const member = resolve(left);
      if (member !== undefined) configuredMembers.add(member);
    }
    if (left.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(left.text) && node.parent?.parent?.type === 'program') {
      constants.set(left.text, valueFact(right, resolve, lines));
    }
  }

  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const isNew = node.type === 'new_expression';
    const fn = unwrap(node.childForFieldName(isNew ? 'constructor' : 'function'));
    if (fn === null) continue;
    let api = resolve(fn);
    if (api === undefined) continue;
    if (api === 'node-fetch') api = 'fetch';
    const argsNode = node.childForFieldName('arguments');
    const call: CallFact = {
      api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: fn.startIndex,
      calleeEnd: fn.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolve, lines),
      isNew,
      decorator: undefined,
      receiver: undefined,
      node,
    };
    calls.push(call);
    if (fn.type === 'member_expression') {
      const object = fn.childForFieldName('object');
      const origin = object === null ? undefined : symbols.get(object.text)?.originStart;
      if (origin !== undefined) receiverOrigins.set(call, origin);
    }
  }
  linkReceivers(calls, receiverOrigins);

  return {
    language: languageId,
    text,
    lines,
    calls,
    imports,
    constants,
    configuredMembers,
    quote: preferredQuote(strings),
    root: tree.rootNode,
  };
}

/** tree-sitter-typescript parses `await axios.get<T>(u)` with the await inside the callee. */
function unwrap(node: Node | null): Node | null {
  return node?.type === 'await_expression' ? node.namedChild(0) : node;
}

function readImport(node: Node, imports: Map<string, ImportFact>): void {
  const source = node.childForFieldName('source');
  const clause = node.namedChildren.find((c) => c?.type === 'import_clause');
  if (source == null || clause == null) return;
  const module = unquote(source.text);
  for (const part of clause.namedChildren) {
    if (part === null) continue;
    if (part.type === 'identifier') imports.set(part.text, { target: module, local: part.text, node });
    else if (part.type === 'namespace_import') {
      const local = part.namedChild(0)?.text;
      if (local !== undefined) imports.set(local, { target: module, local, node });
    } else if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name')?.text;
        const local = spec.childForFieldName('alias')?.text ?? name;
        if (name !== undefined && local !== undefined) {
          imports.set(local, { target: name === 'default' ? module : `${module}.${name}`, local, node });
        }
      }
    }
  }
}

/** `const x = require('m')`, `const { A: B } = require('m')`, `require('m').default`. */
function readRequire(left: Node, right: Node, node: Node, imports: Map<string, ImportFact>): boolean {
  let call = right;
  let member: string | undefined;
  if (right.type === 'member_expression') {
    const object = right.childForFieldName('object');
    if (object?.type !== 'call_expression') return false;
    call = object;
    const property = right.childForFieldName('property')?.text;
    member = property === 'default' ? undefined : property;
  }
  if (call.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') return false;
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  if (arg?.type !== 'string') return false;
  const module = member === undefined ? unquote(arg.text) : `${unquote(arg.text)}.${member}`;
  if (left.type === 'identifier') {
    imports.set(left.text, { target: module, local: left.text, node });
  } else if (left.type === 'object_pattern') {
    for (const prop of left.namedChildren) {
      if (prop?.type === 'shorthand_property_identifier_pattern') {
        imports.set(prop.text, { target: `${module}.${prop.text}`, local: prop.text, node });
      } else if (prop?.type === 'pair_pattern') {
        const key = prop.childForFieldName('key')?.text;
        const value = prop.childForFieldName('value');
        if (key !== undefined && value?.type === 'identifier') {
          imports.set(value.text, { target: key === 'default' ? module : `${module}.${key}`, local: value.text, node });
        }
      }
    }
  }
  return true;
}

type Resolver = (node: Node | null) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = {
  null: 'none',
  undefined: 'none',
  true: 'true',
  false: 'false',
  number: 'number',
  string: 'string',
  template_string: 'string',
  identifier: 'identifier',
  member_expression: 'member',
  call_expression: 'call',
  new_expression: 'call',
  object: 'object',
  array: 'array',
  arrow_function: 'function',
  function_expression: 'function',
};

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  const kind: ValueKind = node.type === 'identifier' && node.text === 'undefined' ? 'none' : (KINDS[node.type] ?? 'other');
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call') {
    const api = resolve(node);
    return api === undefined ? base : { ...base, api };
  }
  if (kind === 'object') return { ...base, object: objectFact(node, resolve, lines) };
  return base;
}

function objectFact(node: Node, resolve: Resolver, lines: LineIndex): ObjectFact {
  const props = new Map<string, PropertyFact>();
  let hasSpread = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key === null || value === null || key.type === 'computed_property_name') {
        hasSpread = true;
        continue;
      }
      const name = key.type === 'string' ? unquote(key.text) : key.text;
      props.set(name, { key: name, value: valueFact(value, resolve, lines), start: child.startIndex, end: child.endIndex });
    } else if (child.type === 'shorthand_property_identifier') {
      props.set(child.text, { key: child.text, value: valueFact(child, resolve, lines), start: child.startIndex, end: child.endIndex });
    } else if (child.type === 'method_definition') {
      const name = child.childForFieldName('name')?.text;
      if (name !== undefined) props.set(name, { key: name, value: valueFact(child, resolve, lines), start: child.startIndex, end: child.endIndex });
    } else {
      hasSpread = true;
    }
  }
  return {
    props,
    hasSpread,
    start: node.startIndex,
    end: node.endIndex,
    insertAt: last?.endIndex ?? node.startIndex + 1,
    isEmpty: last === undefined,
    propertyIndent: itemIndent(lines, node, last),
  };
}

function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex): ArgumentsFact {
  const positional: ValueFact[] = [];
  let hasSplat = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'spread_element') hasSplat = true;
    else positional.push(valueFact(child, resolve, lines));
  }
  return {
    positional,
    keywords: new Map(),
    hasSplat,
    start: node.startIndex,
    end: node.endIndex,
    insertAt: last?.endIndex ?? node.startIndex + 1,
    isEmpty: last === undefined,
    argumentIndent: itemIndent(lines, node, last),
  };
}
