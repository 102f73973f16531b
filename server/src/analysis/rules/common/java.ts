import type { Node } from 'web-tree-sitter';
import { unquote } from '../../facts/common.js';
import type { ArgumentsFact, CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { appendArgument } from '../../fixes/edits.js';
import { lookupTable } from '../../lookup.js';
import type { TextEdit } from '../../types.js';
import { callsWithin } from '../rule.js';

/**
 * Reading Java code the way the rules need it: builder chains, annotation elements and numbers,
 * and the edits that add an import or an annotation element.
 */

/**
 * The methods called on the object a call created (a builder chain or an instance), and `*` when
 * it escapes. Java keys instances by the creating call's callee (see `originKey` in the facts).
 */
export function instanceMethods(facts: FileFacts, origin: CallFact): ReadonlySet<string> {
  return facts.instanceConfig.get(origin.calleeStart) ?? new Set<string>();
}

/** The call that created a value, from `ValueFact.origin`. */
export function creatingCall(facts: FileFacts, origin: number | undefined): CallFact | undefined {
  return origin === undefined ? undefined : facts.calls.find((c) => c.calleeStart === origin);
}

/**
 * A builder the file starts, finishes with `build()` and never hands to code it cannot see: its
 * settings are all in view, so a missing one is really missing.
 */
export function isBuiltHere(facts: FileFacts, origin: CallFact): boolean {
  const methods = instanceMethods(facts, origin);
  return methods.has('build') && !methods.has('*');
}

/** A Java number literal's value (`1_000L`, `2.0`, `1.5d`), or undefined for anything else. */
export function javaNumber(value: ValueFact | undefined): number | undefined {
  if (value?.kind !== 'number') return undefined;
  const n = Number(value.text.replace(/_/g, '').replace(/[lLdDfF]$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** An annotation element: `name = value`, or the lone value of `@A(value)` when `name` is `value`. */
export function element(args: ArgumentsFact | undefined, name: string): PropertyFact | undefined {
  const pair = args?.keywords.get(name);
  if (pair !== undefined || name !== 'value') return pair;
  const lone = args?.positional[0];
  return lone === undefined ? undefined : { key: 'value', value: lone, start: lone.start, end: lone.end };
}

/** Whether any of `names` is set on the annotation (a `...Expression`/`...String` form counts: its value is unknown). */
export function hasElement(args: ArgumentsFact | undefined, ...names: string[]): boolean {
  return names.some((n) => element(args, n) !== undefined);
}

/**
 * Edits that add `text` (`backoff = @Backoff(...)`) to an annotation: parentheses for a marker
 * annotation, and `value = ` before a lone value, which Java allows only when it stands alone.
 */
export function addElement(facts: FileFacts, annotation: CallFact, text: string): TextEdit[] {
  const args = annotation.args;
  if (args === undefined) return [{ start: annotation.calleeEnd, end: annotation.calleeEnd, newText: `(${text})` }];
  const lone = args.positional[0];
  const named: TextEdit[] = lone !== undefined && args.keywords.size === 0 ? [{ start: lone.start, end: lone.start, newText: 'value = ' }] : [];
  return [...named, ...appendArgument(facts, args, text)];
}

const declaredTypes = new WeakMap<FileFacts, Map<string, boolean>>();

/** Whether the file declares a type named `simple`; searched once per file and name (a fix per finding asks). */
function declaresType(facts: FileFacts, simple: string): boolean {
  let names = declaredTypes.get(facts);
  if (names === undefined) {
    names = new Map();
    declaredTypes.set(facts, names);
  }
  let declared = names.get(simple);
  if (declared === undefined) {
    declared = new RegExp(`\\b(class|interface|enum|record)\\s+${simple}\\b`).test(facts.text);
    names.set(simple, declared);
  }
  return declared;
}

/**
 * How to spell a class where a fix uses it, with the import that makes it available: its simple
 * name when imported (or importable without clashing with another class of that name), else its
 * fully qualified name. A new import goes after the last one, or after the package declaration.
 */
export function javaClass(facts: FileFacts, fqn: string): { name: string; edits: TextEdit[] } {
  const simple = fqn.slice(fqn.lastIndexOf('.') + 1);
  const pkg = fqn.slice(0, fqn.lastIndexOf('.'));
  const imported = facts.imports.get(simple);
  if (imported !== undefined) return imported.target === fqn ? { name: simple, edits: [] } : { name: fqn, edits: [] };
  if (facts.imports.has(`${pkg}.*`) || pkg === 'java.lang') return { name: simple, edits: [] };
  // A class of that name declared here, or imported by a wildcard, would make the simple name ambiguous.
  if (declaresType(facts, simple)) return { name: fqn, edits: [] };
  const eol = facts.lines.eol;
  let after = -1;
  for (const imp of facts.imports.values()) after = Math.max(after, imp.node.endIndex);
  if (after < 0) {
    const pkgDecl = facts.root.namedChildren.find((c) => c?.type === 'package_declaration');
    if (pkgDecl != null) return { name: simple, edits: [{ start: pkgDecl.endIndex, end: pkgDecl.endIndex, newText: `${eol}${eol}import ${fqn};` }] };
    return { name: simple, edits: [{ start: 0, end: 0, newText: `import ${fqn};${eol}${eol}` }] };
  }
  return { name: simple, edits: [{ start: after, end: after, newText: `${eol}import ${fqn};` }] };
}

/** The Kafka clients' configuration-key constants the rules read, by the property each names. */
const CONFIG_KEYS: Readonly<Record<string, string>> = lookupTable({
  ENABLE_IDEMPOTENCE_CONFIG: 'enable.idempotence',
  ACKS_CONFIG: 'acks',
  RETRIES_CONFIG: 'retries',
  MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION: 'max.in.flight.requests.per.connection',
  ENABLE_AUTO_COMMIT_CONFIG: 'enable.auto.commit',
  GROUP_ID_CONFIG: 'group.id',
});
const CONFIG_CONSTANT = /(?:ProducerConfig|ConsumerConfig|CommonClientConfigs)\.(\w+)$/;
const MAP_TYPES = new Set(['java.util.Properties', 'java.util.HashMap', 'java.util.LinkedHashMap']);
/** What may be called on a configuration map without hiding what it holds. */
const MAP_READS = new Set(['put', 'setProperty', 'get', 'getProperty', 'containsKey']);

/**
 * The entries of a configuration map, by key: a `Properties` or `HashMap` the file creates, fills
 * with `put`/`setProperty` and never hands elsewhere before use, or an inline `Map.of(k, v, ...)`.
 * Undefined when the file cannot show every entry (a key held in a variable, `putAll`, `load`, a
 * map built elsewhere): a missing key is then unknown, not absent.
 */
export function mapEntries(facts: FileFacts, value: ValueFact | undefined): ReadonlyMap<string, ValueFact> | undefined {
  if (value === undefined) return undefined;
  const entries = new Map<string, ValueFact>();
  const add = (key: ValueFact | undefined, entry: ValueFact | undefined): boolean => {
    const name = key === undefined ? undefined : configKey(key);
    if (name === undefined || entry === undefined) return false;
    entries.set(name, entry);
    return true;
  };
  if (value.api === 'java.util.Map.of') {
    const items = facts.calls.find((c) => c.calleeStart === value.origin)?.args?.positional ?? [];
    for (let i = 0; i < items.length; i += 2) if (!add(items[i], items[i + 1])) return undefined;
    return entries;
  }
  const map = creatingCall(facts, value.origin);
  if (map === undefined || !map.isNew || !MAP_TYPES.has(map.api) || (map.args?.positional.length ?? 0) > 0) return undefined;
  if ([...instanceMethods(facts, map)].some((m) => !MAP_READS.has(m))) return undefined;
  for (const put of facts.calls) {
    if (put.receiver !== map || !/\.(?:put|setProperty)$/.test(put.api)) continue;
    const [key, entry] = put.args?.positional ?? [];
    if (!add(key, entry)) return undefined;
  }
  return entries;
}

/** A configuration key spelled as a string or as a Kafka client constant. */
function configKey(key: ValueFact): string | undefined {
  if (key.kind === 'string') return unquote(key.text);
  const constant = CONFIG_CONSTANT.exec(key.api ?? '')?.[1];
  return constant === undefined ? undefined : (CONFIG_KEYS[constant] ?? constant);
}

/** A configuration value as text: `"false"`, `false` and `Boolean.FALSE` all read `false`. */
export function settingText(value: ValueFact | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = unquote(value.text).trim();
  return /^(?:java\.lang\.)?Boolean\.(TRUE|FALSE)$/.exec(text)?.[1]?.toLowerCase() ?? text;
}

/** The method or constructor a node runs in. */
export function enclosingMethod(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'method_declaration' || n.type === 'constructor_declaration') return n;
    if (n.type === 'lambda_expression' || n.type === 'class_body') return undefined;
  }
  return undefined;
}

/** The calls of the file that run in `method`'s body (lambdas and nested classes included). */
export function callsInMethod(facts: FileFacts, method: Node): CallFact[] {
  const body = method.childForFieldName('body');
  if (body === null) return [];
  return callsWithin(facts, body).filter((c) => c.decorator === undefined);
}

/** The annotations (`CallFact`s with a declaration) on `declaration`, by canonical name. */
export function annotationsOn(facts: FileFacts, declaration: Node): CallFact[] {
  return facts.calls.filter((c) => c.decorator?.functionNode.id === declaration.id);
}

/** The class declaration a method belongs to. */
export function enclosingClass(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (n.type === 'class_declaration') return n;
  return undefined;
}

/**
 * The text of a string a value spells: a literal, or a `static final String` constant the file
 * declares once under that name. Undefined for anything else (a parameter, a concatenation).
 */
export function javaString(facts: FileFacts, value: ValueFact | undefined): string | undefined {
  if (value?.kind === 'string') return unquote(value.text);
  if (value?.kind !== 'identifier') return undefined;
  const found: string[] = [];
  for (const field of facts.root.descendantsOfType('field_declaration')) {
    const modifiers = field?.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
    if (field === null || !/\bstatic\b/.test(modifiers) || !/\bfinal\b/.test(modifiers)) continue;
    for (const d of field.childrenForFieldName('declarator')) {
      const v = d?.childForFieldName('value');
      if (d?.childForFieldName('name')?.text === value.text && v?.type === 'string_literal') found.push(unquote(v.text));
    }
  }
  return found.length === 1 ? found[0] : undefined;
}
