import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';
import { defaultExport, moduleName } from '../facts/javascript-modules.js';
import type { LanguageId } from '../types.js';
import { annotatedInstance, sendsOf, type ClassContext } from './javascript-sends.js';
import { callerTimeoutOption } from './javascript-timeout-option.js';
import type { JobDefaults, ModuleSummary, NameSummary, ValueSummary } from './types.js';

/**
 * A JavaScript or TypeScript module's export summary: its imports (ES and CommonJS), its
 * top-level declarations (objects built with `new` or a call, functions and what they return,
 * classes and what they extend), and what it exports under which name (`export const`, `export
 * default`, `export { a as b }`, re-exports, `module.exports`, `exports.x`). Names are keyed by
 * their exported name; `default` is the default export. Function bodies count only through their
 * `return` statements.
 */

const UNKNOWN: ValueSummary = { kind: 'unknown' };

interface Builder {
  imports: Record<string, string>;
  parts: Record<string, { module: string; name?: string }>;
  locals: Map<string, NameSummary | 'conflict'>;
  exports: Map<string, NameSummary>;
  stars: string[];
}

export function javascriptSummary(root: Node, language: LanguageId): ModuleSummary {
  const b: Builder = { imports: {}, parts: {}, locals: new Map(), exports: new Map(), stars: [] };
  for (const statement of root.namedChildren) if (statement !== null) readStatement(statement, b);
  // Exported names win; top-level locals stay visible to references (`export { queue }`, `module.exports = { queue }`).
  const names: Record<string, NameSummary> = {};
  for (const [name, value] of [...b.locals].sort(([a], [c]) => (a < c ? -1 : 1))) names[name] = value === 'conflict' ? { value: UNKNOWN, at: ZERO } : value;
  for (const [name, value] of [...b.exports].sort(([a], [c]) => (a < c ? -1 : 1))) {
    names[name] = value.value.kind === 'ref' && value.value.ref === name && names[name] !== undefined ? (names[name] as NameSummary) : value;
  }
  const reaches = [...new Set(Object.values(b.imports))].sort();
  return {
    language, imports: b.imports, names, celery: {}, settings: {}, environ: {}, reaches,
    modules: b.parts, ...(b.stars.length === 0 ? {} : { stars: b.stars }),
  };
}

const ZERO: NameSummary['at'] = { line: 0, character: 0, endLine: 0, endCharacter: 0 };

function at(node: Node): NameSummary['at'] {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}

/** The target string the facts give an import (`./queues.emailQueue`), and its parts. */
function addImport(b: Builder, local: string, module: string, name: string | undefined): void {
  const target = name === undefined ? module : name === 'default' ? defaultExport(module) : `${module}.${name}`;
  b.imports[local] = target;
  b.parts[target] = name === undefined ? { module } : { module, name };
  b.locals.delete(local);
}

function define(b: Builder, name: string, summary: NameSummary): void {
  const seen = b.locals.get(name);
  b.locals.set(name, seen === undefined ? summary : 'conflict');
}

function readStatement(statement: Node, b: Builder): void {
  switch (statement.type) {
    case 'import_statement':
      readImportStatement(statement, b);
      return;
    case 'export_statement':
      readExport(statement, b);
      return;
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const d of statement.namedChildren) if (d?.type === 'variable_declarator') readDeclarator(d, b);
      return;
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'class_declaration': {
      const name = statement.childForFieldName('name');
      if (name !== null) define(b, name.text, { value: declarationSummary(statement), at: at(name) });
      return;
    }
    case 'expression_statement': {
      const expr = statement.namedChild(0);
      if (expr?.type === 'assignment_expression') readCommonJsExport(expr, b);
      return;
    }
    default:
  }
}

function readImportStatement(node: Node, b: Builder): void {
  const source = node.childForFieldName('source');
  const clause = node.namedChildren.find((c) => c?.type === 'import_clause');
  if (source == null || clause == null) return;
  const module = moduleName(unquote(source.text));
  for (const part of clause.namedChildren) {
    if (part?.type === 'identifier') addImport(b, part.text, module, 'default');
    else if (part?.type === 'namespace_import') {
      const local = part.namedChild(0)?.text;
      if (local !== undefined) addImport(b, local, module, undefined);
    } else if (part?.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name')?.text;
        const local = spec.childForFieldName('alias')?.text ?? name;
        if (name !== undefined && local !== undefined) addImport(b, local, module, name);
      }
    }
  }
}

function readExport(node: Node, b: Builder): void {
  const declaration = node.childForFieldName('declaration');
  if (declaration !== null) {
    readStatement(declaration, b);
    const names = declaration.type === 'lexical_declaration' || declaration.type === 'variable_declaration'
      ? declaration.namedChildren.filter((d) => d?.type === 'variable_declarator').map((d) => d?.childForFieldName('name')).filter((n) => n?.type === 'identifier')
      : [declaration.childForFieldName('name')];
    // `export default function fetch(...)` exports the function as the default, not under its name.
    const isDefault = node.children.some((c) => c?.type === 'default');
    for (const name of names) if (name != null) b.exports.set(isDefault ? 'default' : name.text, { value: { kind: 'ref', ref: name.text }, at: at(name) });
    return;
  }
  const value = node.childForFieldName('value');
  if (value !== null) {
    b.exports.set('default', { value: valueSummary(value), at: at(value) });
    return;
  }
  const source = node.childForFieldName('source');
  const module = source === null ? undefined : moduleName(unquote(source.text));
  const clause = node.namedChildren.find((c) => c?.type === 'export_clause');
  if (clause == null) {
    if (module !== undefined) b.stars.push(module);
    return;
  }
  for (const spec of clause.namedChildren) {
    if (spec?.type !== 'export_specifier') continue;
    const name = spec.childForFieldName('name')?.text;
    const alias = spec.childForFieldName('alias')?.text ?? name;
    if (name === undefined || alias === undefined) continue;
    if (module === undefined) b.exports.set(alias, { value: { kind: 'ref', ref: name }, at: at(spec) });
    else {
      // A re-export is an import under the exported name that the module does not bind locally.
      const local = `\u0000${alias}`;
      addImport(b, local, module, name);
      b.exports.set(alias, { value: { kind: 'ref', ref: local }, at: at(spec) });
    }
  }
}

function readDeclarator(node: Node, b: Builder): void {
  const name = node.childForFieldName('name');
  const value = node.childForFieldName('value');
  if (name === null || value === null) return;
  const required = requireOf(value);
  if (required !== undefined) {
    if (name.type === 'identifier') addImport(b, name.text, required.module, required.member);
    else if (name.type === 'object_pattern') {
      for (const prop of name.namedChildren) {
        if (prop?.type === 'shorthand_property_identifier_pattern') addImport(b, prop.text, required.module, prop.text);
        else if (prop?.type === 'pair_pattern') {
          const key = prop.childForFieldName('key')?.text;
          const local = prop.childForFieldName('value');
          if (key !== undefined && local?.type === 'identifier') addImport(b, local.text, required.module, key);
        }
      }
    }
    return;
  }
  if (name.type === 'identifier') define(b, name.text, { value: valueSummary(value), at: at(name) });
}

/**
 * The `defaultJobOptions` of `new Queue(name, opts)` (BullMQ, Bull; Bull's `(name, url, opts)`
 * too): the options object is the last argument when it is a literal. Anything the literal does
 * not show (a spread, a variable, a computed value) makes what it would say unknown.
 */
function queueJobDefaults(node: Node): JobDefaults {
  const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
  if (args.length <= 1 || (args.length === 2 && args[1]?.type === 'string')) return { attempts: 'absent', backoff: 'absent' };
  const options = args[args.length - 1] as Node;
  if (options.type !== 'object' || args.some((a) => a.type === 'spread_element')) return 'unknown';
  const defaults = property(options, 'defaultJobOptions');
  if (defaults === 'unknown') return 'unknown';
  if (defaults === undefined) return { attempts: 'absent', backoff: 'absent' };
  if (defaults.type !== 'object') return 'unknown';
  const attempts = property(defaults, 'attempts');
  const backoff = property(defaults, 'backoff');
  return {
    attempts: attempts === undefined ? 'absent' : attempts !== 'unknown' && attempts.type === 'number' ? Number(attempts.text.replace(/_/g, '')) : 'unknown',
    backoff: backoff === undefined ? 'absent' : backoff === 'unknown' ? 'unknown' : backoffKind(backoff),
  };
}

/** A property of an object literal; `unknown` when a spread may set it. */
function property(object: Node, key: string): Node | 'unknown' | undefined {
  // A spread sets what it holds, unless a key written after it sets the key again.
  let found: Node | 'unknown' | undefined;
  for (const prop of object.namedChildren) {
    if (prop?.type === 'spread_element') found = 'unknown';
    if (prop?.type === 'pair' && unquote(prop.childForFieldName('key')?.text ?? '') === key) found = prop.childForFieldName('value') ?? undefined;
    if (prop?.type === 'shorthand_property_identifier' && prop.text === key) found = 'unknown';
  }
  return found;
}

function backoffKind(value: Node): 'fixed' | 'exponential' | 'unknown' {
  if (value.type === 'number') return 'fixed';
  if (value.type !== 'object') return 'unknown';
  const type = property(value, 'type');
  const name = type === undefined || type === 'unknown' || type.type !== 'string' ? undefined : unquote(type.text);
  return name === 'fixed' ? 'fixed' : name === 'exponential' ? 'exponential' : 'unknown';
}

/** `require('m')` (the module object) or `require('m').x`. */
function requireOf(value: Node): { module: string; member?: string } | undefined {
  let call = value;
  let member: string | undefined;
  if (value.type === 'member_expression') {
    const object = value.childForFieldName('object');
    if (object === null) return undefined;
    call = object;
    member = value.childForFieldName('property')?.text;
  }
  if (call.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') return undefined;
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  if (arg?.type !== 'string') return undefined;
  const module = moduleName(unquote(arg.text));
  return member === undefined ? { module } : { module, member };
}

/** `module.exports = {...}`, `module.exports = x`, `exports.x = ...`, `module.exports.x = ...`. */
function readCommonJsExport(expr: Node, b: Builder): void {
  const left = dotted(expr.childForFieldName('left'));
  const right = expr.childForFieldName('right');
  if (left === undefined || right === null) return;
  if (left === 'module.exports') {
    if (right.type === 'object') {
      for (const prop of right.namedChildren) {
        if (prop?.type === 'shorthand_property_identifier') b.exports.set(prop.text, { value: { kind: 'ref', ref: prop.text }, at: at(prop) });
        else if (prop?.type === 'pair') {
          const key = prop.childForFieldName('key');
          const value = prop.childForFieldName('value');
          if (key !== null && value !== null) b.exports.set(unquote(key.text), { value: valueSummary(value), at: at(key) });
        }
      }
    } else b.exports.set('default', { value: valueSummary(right), at: at(right) });
    return;
  }
  const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
  if (m !== null) b.exports.set(m[1] as string, { value: valueSummary(right), at: at(expr) });
}

function dotted(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier' || node.type === 'this') return node.text;
  if (node.type === 'member_expression') {
    const object = dotted(node.childForFieldName('object'));
    const property = node.childForFieldName('property')?.text;
    return object === undefined || property === undefined ? undefined : `${object}.${property}`;
  }
  return undefined;
}

const WRAPPERS = new Set(['await_expression', 'parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression']);

function valueSummary(node: Node): ValueSummary {
  let value: Node | null = node;
  while (value !== null && WRAPPERS.has(value.type)) value = value.namedChild(0);
  if (value === null) return UNKNOWN;
  // `globalThis.prismaGlobal ?? new PrismaClient()`: a cached copy of the object the right side builds.
  if (value.type === 'binary_expression' && /^(\?\?|\|\|)$/.test(value.childForFieldName('operator')?.text ?? '')) {
    const left = value.childForFieldName('left');
    const right = value.childForFieldName('right');
    return left !== null && right !== null && dotted(left) !== undefined && (right.type === 'call_expression' || right.type === 'new_expression') ? valueSummary(right) : UNKNOWN;
  }
  // `env.REDIS ? new Queue(...) : null`: the object, when there is one.
  if (value.type === 'ternary_expression') {
    const consequence = value.childForFieldName('consequence');
    const alternative = value.childForFieldName('alternative');
    const empty = (n: Node | null): boolean => n === null || n.type === 'null' || n.type === 'undefined';
    return empty(alternative) && consequence !== null ? valueSummary(consequence) : empty(consequence) && alternative !== null ? valueSummary(alternative) : UNKNOWN;
  }
  const ref = dotted(value);
  if (ref !== undefined) return { kind: 'ref', ref };
  if (value.type === 'new_expression') {
    const callee = dotted(value.childForFieldName('constructor'));
    if (callee === undefined) return UNKNOWN;
    const jobDefaults = /(?:^|\.)Queue$/.test(callee) ? queueJobDefaults(value) : undefined;
    return { kind: 'call', callee, isNew: true, ...(jobDefaults === undefined ? {} : { jobDefaults }) };
  }
  if (value.type === 'call_expression') {
    const callee = dotted(value.childForFieldName('function'));
    return callee === undefined ? UNKNOWN : { kind: 'call', callee };
  }
  if (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function') return declarationSummary(value);
  return UNKNOWN;
}

/**
 * A function by what its `return` statements give (an arrow's expression body is its return) and
 * the library calls it may make; a class by what it extends and what its methods give.
 */
function declarationSummary(node: Node, context?: ClassContext): ValueSummary {
  if (node.type === 'class_declaration' || node.type === 'class' || node.type === 'abstract_class_declaration') return classSummary(node);
  const body = node.childForFieldName('body');
  if (body === null) return UNKNOWN;
  if (body.type !== 'statement_block') {
    const sends = sendsOf(node, new Map(), context);
    return { kind: 'function', returns: [objectOnly(valueSummary(body))], ...(sends.length === 0 ? {} : { sends }) };
  }
  const locals = new Map<string, ValueSummary>();
  const assigned = new Map<string, ValueSummary>();
  const returns: ValueSummary[] = [];
  const visit = (block: Node): void => {
    for (const child of block.namedChildren) {
      if (child === null || /function|class|arrow/.test(child.type)) continue;
      if (child.type === 'return_statement') {
        const value = child.namedChild(0);
        if (value === null) continue;
        const summary = valueSummary(value);
        const ref = summary.kind === 'ref' ? summary.ref : undefined;
        // A class's own field (`return QueueClass.instance`, `return this.client`) holds what the class assigns it.
        const field = ref === undefined ? undefined : ownField(ref, context);
        returns.push(objectOnly(field ?? (ref !== undefined && locals.has(ref) ? (locals.get(ref) as ValueSummary) : ref !== undefined && assigned.has(ref) ? (assigned.get(ref) as ValueSummary) : summary)));
      } else if (child.type === 'expression_statement') {
        // A memoised getter (`if (!cached) cached = createQueue(...); return cached;`) returns what
        // it assigns to the outer name; a name assigned twice in the body is not known.
        const expression = child.namedChild(0);
        const left = expression?.type === 'assignment_expression' ? expression.childForFieldName('left') : null;
        const right = expression?.childForFieldName('right');
        if (left?.type === 'identifier' && right != null) assigned.set(left.text, assigned.has(left.text) ? UNKNOWN : valueSummary(right));
      } else if (child.type === 'lexical_declaration' || child.type === 'variable_declaration') {
        for (const d of child.namedChildren) {
          const name = d?.type === 'variable_declarator' ? d.childForFieldName('name') : null;
          const value = d?.childForFieldName('value');
          if (name?.type === 'identifier' && value != null) locals.set(name.text, locals.has(name.text) ? UNKNOWN : valueSummary(value));
        }
      } else visit(child);
    }
  };
  visit(body);
  // A parameter or a local the body rebinds says nothing about what the function returns to its callers.
  // Only the names parameters bind: a type annotation (`opts?: Partial<Queue.JobOptions>`) names a type, not a parameter.
  const parameterNames = (node.childForFieldName('parameters')?.descendantsOfType('identifier') ?? []).flatMap((n) => (n === null || inTypeAnnotation(n) ? [] : [n.text]));
  const hidden = new Set([...locals.keys(), ...parameterNames]);
  const timeoutOption = callerTimeoutOption(node);
  let known = returns.map((r) => (headOf(r) !== undefined && hidden.has(headOf(r) as string) ? UNKNOWN : r));
  // A method declared to return a type (`getInstance(): Queue | null`) returns an instance of it
  // when its body does not show what every return gives.
  const declared = context === undefined ? undefined : annotatedInstance(node.childForFieldName('return_type'));
  if (declared !== undefined && (known.length === 0 || known.some((r) => r.kind === 'unknown'))) known = [declared];
  const sends = sendsOf(node, locals, context);
  return { kind: 'function', returns: known, ...(timeoutOption === undefined ? {} : { timeoutOption }), ...(sends.length === 0 ? {} : { sends }) };
}

/** `ClassName.x` or `this.x` of the class whose method is read: what the class assigns the field. */
function ownField(ref: string, context: ClassContext | undefined): ValueSummary | undefined {
  if (context === undefined) return undefined;
  const [head, field, ...rest] = ref.split('.');
  if (field === undefined || rest.length > 0 || (head !== 'this' && head !== context.name)) return undefined;
  return context.fields.get(field);
}

/**
 * A class by what it extends and by its methods that return an object or make a library call
 * (`FetchService.fetch`, a static `getInstance()` that returns the queue a static field holds).
 * Its fields hold what their initialisers, typed constructor parameters and the assignments of
 * its methods give them; a field given two different values is unknown.
 */
function classSummary(node: Node): ValueSummary {
  const heritage = node.namedChildren.find((c) => c?.type === 'class_heritage');
  const base = heritage?.namedChildren.find((c) => c?.type === 'extends_clause')?.childForFieldName('value') ?? heritage?.namedChild(0);
  const ref = base == null ? undefined : dotted(base);
  const body = node.childForFieldName('body');
  const name = node.childForFieldName('name')?.text;
  const fields = new Map<string, ValueSummary>();
  const setField = (field: string, value: ValueSummary): void => {
    const seen = fields.get(field);
    fields.set(field, seen === undefined || JSON.stringify(seen) === JSON.stringify(value) ? value : UNKNOWN);
  };
  const methods: Node[] = [];
  for (const member of body?.namedChildren ?? []) {
    if (member === null) continue;
    if (member.type === 'public_field_definition' || member.type === 'field_definition') {
      const key = member.childForFieldName('name') ?? member.childForFieldName('property');
      const value = member.childForFieldName('value');
      if (key !== null) {
        const declared = annotatedInstance(member.childForFieldName('type'));
        const summary = value === null ? undefined : valueSummary(value);
        if (summary !== undefined && summary.kind !== 'unknown') setField(key.text, summary);
        else if (declared !== undefined && value === null) setField(key.text, declared);
      }
    } else if (member.type === 'method_definition') methods.push(member);
  }
  for (const method of methods) {
    // `constructor(private readonly fetchService: FetchService)` holds an instance of its type.
    if (method.childForFieldName('name')?.text === 'constructor') {
      for (const param of method.childForFieldName('parameters')?.namedChildren ?? []) {
        const pattern = param?.childForFieldName('pattern');
        const declared = annotatedInstance(param?.childForFieldName('type'));
        if (param != null && pattern?.type === 'identifier' && declared !== undefined && param.namedChildren.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly')) setField(pattern.text, declared);
      }
    }
    for (const assignment of method.descendantsOfType('assignment_expression')) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      const object = left?.type === 'member_expression' ? left.childForFieldName('object') : null;
      const field = left?.childForFieldName('property')?.text;
      if (right == null || field === undefined || object == null) continue;
      if (object.type === 'this' || (name !== undefined && object.type === 'identifier' && object.text === name)) {
        const value = valueSummary(right);
        if (value.kind !== 'unknown') setField(field, value);
      }
    }
  }
  const context: ClassContext = { name, fields };
  const summaries: Record<string, ValueSummary> = {};
  for (const method of methods) {
    const key = method.childForFieldName('name');
    if (key?.type !== 'property_identifier' || key.text === 'constructor' || method.children.some((c) => c?.type === 'get' || c?.type === 'set')) continue;
    const summary = declarationSummary(method, context);
    if (summary.kind !== 'function') continue;
    const returns = summary.returns.filter((r) => r.kind !== 'unknown');
    if (returns.length === 0 && summary.sends === undefined) continue;
    summaries[key.text] = summary;
  }
  return { kind: 'class', bases: ref === undefined ? [] : [ref], options: {}, ...(Object.keys(summaries).length === 0 ? {} : { methods: summaries }) };
}

function inTypeAnnotation(node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'type_annotation') return true;
    if (n.type === 'formal_parameters') return false;
  }
  return false;
}

function headOf(value: ValueSummary): string | undefined {
  const path = value.kind === 'ref' ? value.ref : value.kind === 'call' ? value.callee : undefined;
  return path?.split('.')[0];
}

/** Only objects matter to callers: anything else a function returns is unknown, so editing it changes nothing. */
function objectOnly(value: ValueSummary): ValueSummary {
  return value.kind === 'ref' || value.kind === 'call' ? value : UNKNOWN;
}
