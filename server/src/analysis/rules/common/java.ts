import type { ArgumentsFact, CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { appendArgument } from '../../fixes/edits.js';
import type { TextEdit } from '../../types.js';

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
