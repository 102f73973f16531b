import type { Node } from 'web-tree-sitter';
import { JAVA_APIS, JAVA_KNOWN_CLASSES, URL_OPEN_CONNECTION } from '../apis/java.js';
import { WRAPPED_KINDS } from '../apis/wrapped.js';
import type { SignalKind } from '../types.js';
import { rawType, type JavaClassSummary, type JavaFileSummary } from './java-summary.js';

/**
 * A project class that wraps a library call (piggymetrics' `EmailServiceImpl`, whose `send` builds
 * a message and hands it to an injected `JavaMailSender`; litemall's `NotifyService`, whose
 * `notifySmsTemplateSync` calls a project `SmsSender` whose implementations send SMS): its methods
 * that make a call of a kind a caller must know about (an HTTP call, a notification, a publish, a
 * payment, a schedule, a lock), read from the types its fields, parameters and locals are declared
 * with. A method that calls another method of its class does what that one does; a method that
 * calls a method of a project type (`smsSender.sendWithTemplate(...)`) is a *forward* the model
 * resolves across files (java-model.ts): a project class through its own methods, a project
 * interface through its implementations, when every implementation's method makes such a call
 * (one that does nothing would make the call no send at all when Spring picks it).
 *
 * What the rules judge at the caller is the caller's context (a send inside its transaction, its
 * retried task); what the wrapped call itself lacks (a timeout, an idempotency key) is judged once,
 * inside the wrapper, where the fix goes.
 */

/** The type the facts give a value of a wrapping project type, followed by its simple name. */
export const JAVA_SENDER_TYPE = 'project-sender-type:';

/** How many methods of project types one forward may pass through. */
const MAX_FORWARDS = 8;
/**
 * The most implementations an interface may have for its methods to be read as wrappers. A sending
 * interface has one to a few implementations (an SMS sender per provider); a command-handler
 * interface with hundreds would make every file that names it summarise all of them (41 s for one
 * file of apache/fineract), and a call through it says nothing about which one runs.
 */
const MAX_IMPLEMENTATIONS = 8;

export interface WrapperMethods {
  /** Method → the library API it calls (directly or through a method of its class). */
  readonly sends: Record<string, string>;
  /** Method → calls of methods of project types, `Type.method` with the type as written. */
  readonly forwards: Record<string, string[]>;
}

/** Each method of `cls` that makes a wrapped call through a field, parameter or local of the class, or statically, and that API. */
export function sendingMethods(cls: Node, imports: Readonly<Record<string, string>>, wildcards: readonly string[], pkg = ''): WrapperMethods {
  const qualify = (simple: string): string | undefined => {
    if (imports[simple] !== undefined) return imports[simple];
    const found = wildcards.find((w) => JAVA_KNOWN_CLASSES.has(`${w}.${simple}`));
    return found === undefined ? undefined : `${found}.${simple}`;
  };
  const body = cls.childForFieldName('body');
  const fields = new Map<string, string>();
  for (const member of body?.namedChildren ?? []) {
    if (member?.type !== 'field_declaration') continue;
    const type = rawType(member.childForFieldName('type'));
    if (type === undefined) continue;
    for (const d of member.childrenForFieldName('declarator')) {
      const name = d?.childForFieldName('name')?.text;
      if (name !== undefined) fields.set(name, type);
    }
  }
  const methods = new Set<string>();
  for (const member of body?.namedChildren ?? []) {
    const name = member?.type === 'method_declaration' ? member.childForFieldName('name')?.text : undefined;
    if (name !== undefined) methods.add(name);
  }
  // Keyed by method names, which may be `toString` or `constructor`: no prototype to inherit from.
  const sends: Record<string, string> = Object.create(null) as Record<string, string>;
  const forwards: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const calls = new Map<string, Set<string>>();
  for (const member of body?.namedChildren ?? []) {
    const name = member?.type === 'method_declaration' ? member.childForFieldName('name')?.text : undefined;
    if (member == null || name === undefined) continue;
    const own = new Set<string>();
    calls.set(name, own);
    for (const call of member.descendantsOfType('method_invocation')) {
      const object = call?.childForFieldName('object');
      const method = call?.childForFieldName('name')?.text;
      if (call == null || method === undefined) continue;
      if (object == null || object.type === 'this') {
        if (methods.has(method) && method !== name) own.add(method);
        continue;
      }
      const variable = object.type === 'identifier' ? object.text
        : object.type === 'field_access' && object.childForFieldName('object')?.type === 'this' ? object.childForFieldName('field')?.text : undefined;
      if (variable === undefined) continue;
      // A parameter or local of the method declared before the call wins over the field of that name.
      const local = object.type === 'identifier' ? declaredIn(member, call, variable) : undefined;
      const written = local ?? fields.get(variable) ?? (object.type === 'identifier' && /^[A-Z]/.test(variable) ? variable : undefined);
      if (written === undefined) continue;
      const qualified = qualify(written.split('.')[0] ?? written);
      const api = qualified === undefined ? undefined : `${qualified}${written.includes('.') ? written.slice(written.indexOf('.')) : ''}.${method}`;
      const kind = api === undefined ? undefined : JAVA_APIS.get(api);
      // A URL opened without a cast to HttpURLConnection may name a file (apis/java.ts).
      if (api !== undefined && kind !== undefined && WRAPPED_KINDS.has(kind) && (api !== URL_OPEN_CONNECTION || castToHttp(call))) {
        sends[name] ??= api;
      } else if (projectType(written, imports, pkg)) {
        const list = (forwards[name] ??= []);
        const target = `${written}.${method}`;
        if (!list.includes(target) && list.length < MAX_FORWARDS) list.push(target);
      }
    }
  }
  // A method that calls another method of its class does what that one does (to a fixed point: chains of any length).
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, called] of calls) {
      for (const other of called) {
        const sent = sends[other];
        if (sent !== undefined && sends[name] === undefined) {
          sends[name] = sent;
          changed = true;
        }
        for (const target of forwards[other] ?? []) {
          const list = (forwards[name] ??= []);
          if (!list.includes(target) && list.length < MAX_FORWARDS) {
            list.push(target);
            changed = true;
          }
        }
      }
    }
  }
  for (const name of Object.keys(forwards)) {
    if (sends[name] !== undefined || forwards[name]?.length === 0) delete forwards[name];
    else forwards[name]?.sort();
  }
  return { sends: sortedRecord(sends), forwards: sortedRecord(forwards) };
}

function castToHttp(call: Node): boolean {
  let parent = call.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  return parent?.type === 'cast_expression' && /(?:^|\.)Https?URLConnection$/.test(parent.childForFieldName('type')?.text ?? '');
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k] as T]));
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Whether a type as written may be one of the project's own: a simple name no import explains (the
 * file's own package, a wildcard), or one imported from a package that shares its first two parts
 * with the file's (`org.linlinjava.litemall.core.notify` from `org.linlinjava.litemall.wx`).
 */
function projectType(written: string, imports: Readonly<Record<string, string>>, pkg: string): boolean {
  const head = written.split('.')[0] ?? written;
  if (!/^[A-Z]/.test(head) || JAVA_LANG.has(head)) return false;
  const imported = imports[head];
  if (imported === undefined) return true;
  const prefix = pkg.split('.').slice(0, 2).join('.');
  return prefix.includes('.') && imported.startsWith(`${prefix}.`);
}

const JAVA_LANG = new Set(['String', 'Object', 'Integer', 'Long', 'Boolean', 'Double', 'Math', 'System', 'Thread', 'StringBuilder', 'Class', 'Character', 'Byte', 'Short', 'Float', 'Runtime']);

/** The type a parameter or local named `name` is declared with before `call` in `method`, as written. */
function declaredIn(method: Node, call: Node, name: string): string | undefined {
  let found: string | undefined;
  for (const d of method.descendantsOfType(['formal_parameter', 'variable_declarator'])) {
    if (d == null || d.startIndex >= call.startIndex || d.childForFieldName('name')?.text !== name) continue;
    const typeNode = d.type === 'formal_parameter' ? d.childForFieldName('type') : d.parent?.childForFieldName('type') ?? null;
    // `var x = ...` says nothing of the type; the name is then not the field either.
    found = typeNode === null || typeNode.text === 'var' ? '' : rawType(typeNode) ?? '';
  }
  return found === undefined ? undefined : found === '' ? '-' : found;
}

/**
 * What the methods of the project class `qualified` (declared in `file`) call: its own sends and
 * its forwards resolved, each method's library API. An interface's method is one when every
 * project class implementing it makes such a call in it (the first found that is not a plain HTTP
 * call names it: an SMS sent over one provider's SDK and another's generic API client is a send).
 */
export interface WrapperLookup {
  readonly javaOf: (file: string) => JavaFileSummary | undefined;
  readonly findClass: (from: string, qualified: string) => string | undefined;
  readonly qualify: (file: string, java: JavaFileSummary, written: string) => string | undefined;
  readonly implementations: (from: string, simple: string) => readonly string[];
  readonly kindOf: (api: string) => SignalKind | undefined;
}

export function wrapperMethods(lookup: WrapperLookup, from: string, qualified: string, memo: Map<string, Readonly<Record<string, string>>>, hops = 0): Readonly<Record<string, string>> {
  const known = memo.get(qualified);
  if (known !== undefined) return known;
  const none: Readonly<Record<string, string>> = {};
  if (hops > MAX_FORWARDS) return none;
  memo.set(qualified, none); // a cycle ends as nothing
  const file = lookup.findClass(from, qualified);
  const java = file === undefined ? undefined : lookup.javaOf(file);
  const simple = qualified.slice(qualified.lastIndexOf('.') + 1);
  const cls: JavaClassSummary | undefined = own(java?.classes, simple);
  if (file === undefined || java === undefined || cls === undefined) return none;
  let result: Record<string, string> = Object.create(null) as Record<string, string>;
  if (cls.interface === true) {
    const implementing: string[] = [];
    const candidates = lookup.implementations(file, simple);
    if (candidates.length > MAX_IMPLEMENTATIONS) return none;
    for (const candidate of candidates) {
      const other = lookup.javaOf(candidate);
      if (other === undefined) continue;
      for (const [name, c] of Object.entries(other.classes)) {
        if (c.interface !== true && c.implements?.some((w) => lookup.qualify(candidate, other, w) === qualified) === true) implementing.push(`${other.package}.${name}`);
      }
    }
    const each = implementing.map((impl) => wrapperMethods(lookup, file, impl, memo, hops + 1));
    if (each.length > 0) {
      const methods = new Set(each.flatMap((m) => Object.keys(m)));
      for (const method of [...methods].sort()) {
        const apis = each.map((m) => own(m, method));
        if (apis.some((a) => a === undefined)) continue;
        result[method] = (apis.find((a) => lookup.kindOf(a as string) !== 'http-call') ?? apis[0]) as string;
      }
    }
  } else {
    result = Object.assign(Object.create(null) as Record<string, string>, cls.sends ?? {});
    for (const [method, targets] of Object.entries(cls.forwards ?? {})) {
      if (own(result, method) !== undefined) continue;
      for (const target of targets) {
        const dot = target.lastIndexOf('.');
        const type = lookup.qualify(file, java, target.slice(0, dot));
        const sent = type === undefined ? undefined : own(wrapperMethods(lookup, file, type, memo, hops + 1), target.slice(dot + 1));
        if (sent !== undefined) {
          result[method] = sent;
          break;
        }
      }
    }
  }
  memo.set(qualified, result);
  return result;
}
