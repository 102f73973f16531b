import { JAVA_APIS, JAVA_KNOWN_CLASSES } from '../apis/java.js';
import type { JavaFileSummary } from './java-summary.js';
import { wrapperMethods, type WrapperLookup } from './java-senders.js';
import type { JavaBean, ModuleResolver, ModuleSummary, Origin, ProjectView } from './types.js';

/**
 * Java's project view, resolved by package and source root as javac does: a simple type name is
 * a single-type import, a class of the file's own package, or a class of a wildcard-imported
 * package, in that order. A project class stands for the library class it extends, through any
 * number of project classes up to `MAX_HOPS` (a cycle, or a chain ending in a project class that
 * extends nothing, stands for nothing). The project's `@Bean` methods are the objects a class may
 * be given by injection; which one a class gets is the facts' choice (java.ts), by type, then
 * `@Qualifier`, `@Primary` and name, as Spring chooses.
 */

const MAX_HOPS = 8;

export function javaView(resolver: ModuleResolver, summaryOf: (path: string) => ModuleSummary | undefined, path: string, summary: ModuleSummary, base: Omit<ProjectView, 'names' | 'unknown'>): ProjectView {
  const own = summary.java;
  const empty = { names: new Map(), unknown: new Set<string>(), ...base };
  if (own === undefined || resolver.javaClass === undefined) return empty;
  const findClass = resolver.javaClass.bind(resolver);
  const read = new Set<string>();
  const javaOf = (file: string): JavaFileSummary | undefined => {
    if (file === path) return own;
    read.add(file);
    return summaryOf(file)?.java;
  };

  /** The qualified class a type written in `file` names, when the project or a known library has it. */
  const qualify = (file: string, java: JavaFileSummary, written: string): string | undefined => {
    const [head = '', ...rest] = written.split('.');
    const tail = rest.length === 0 ? '' : `.${rest.join('.')}`;
    if (java.imports[head] !== undefined) return `${java.imports[head]}${tail}`;
    if (rest.length > 0 && /^[a-z]/.test(head)) return written;
    if (java.classes[head] !== undefined) return `${java.package}.${written}`;
    const sibling = `${java.package}.${head}`;
    if (findClass(file, sibling) !== undefined) return `${sibling}${tail}`;
    for (const pkg of java.wildcards) {
      if (findClass(file, `${pkg}.${head}`) !== undefined || JAVA_KNOWN_CLASSES.has(`${pkg}.${head}`)) return `${pkg}.${head}${tail}`;
    }
    return undefined;
  };

  /**
   * The library class a qualified class stands for: itself when the project does not declare it,
   * else the library class its superclass chain ends in, or undefined.
   */
  const libraryType = (from: string, qualified: string, hops: number, visiting: ReadonlySet<string>): string | undefined => {
    const file = findClass(from, qualified);
    if (file === undefined) return qualified;
    if (hops > MAX_HOPS || visiting.has(qualified)) return undefined;
    const java = javaOf(file);
    const declared = java?.classes[qualified.slice(qualified.lastIndexOf('.') + 1)];
    if (java === undefined || declared?.extends === undefined) return undefined;
    const parent = qualify(file, java, declared.extends);
    return parent === undefined ? undefined : libraryType(file, parent, hops + 1, new Set(visiting).add(qualified));
  };

  // The types this file writes that are project classes: what each stands for (undefined: none).
  const types = new Map<string, string | undefined>();
  const senders = new Map<string, Readonly<Record<string, string>>>();
  const lookup: WrapperLookup = {
    javaOf,
    findClass,
    qualify,
    implementations: (from, simple) => resolver.javaImplementations?.(from, simple) ?? [],
    kindOf: (api) => JAVA_APIS.get(api),
  };
  const wrappers = new Map<string, Readonly<Record<string, string>>>();
  for (const simple of [...Object.keys(own.imports), ...own.types]) {
    const qualified = own.imports[simple] ?? qualify(path, own, simple);
    const file = qualified === undefined ? undefined : findClass(path, qualified);
    if (qualified === undefined || file === undefined) continue;
    const library = libraryType(path, qualified, 0, new Set());
    types.set(simple, library);
    // A class or interface of the project's own whose methods wrap a library call (java-senders.ts).
    if (library !== undefined) continue;
    const sends = wrapperMethods(lookup, path, qualified, wrappers);
    if (Object.keys(sends).length > 0) senders.set(simple, sends);
  }

  const beans: JavaBean[] = [];
  for (const file of resolver.javaBeanFiles?.(path) ?? []) {
    const java = javaOf(file);
    for (const bean of java?.beans ?? []) {
      const qualified = java === undefined ? undefined : qualify(file, java, bean.type);
      const type = qualified === undefined ? undefined : libraryType(file, qualified, 0, new Set());
      if (type === undefined || findClass(file, type) !== undefined) continue;
      const origin: Origin = { path: file, ...bean.at };
      beans.push({
        type,
        name: bean.name,
        names: bean.names,
        primary: bean.primary,
        configured: bean.configured,
        ...(bean.settings === undefined ? {} : { settings: bean.settings }),
        origin,
        description: `the ${type.slice(type.lastIndexOf('.') + 1)} bean \`${bean.name}\` defined in ${resolver.display(file)}:${bean.at.line + 1}`,
      });
    }
  }
  const dependencies = [...new Set([...read, ...base.dependencies])].sort();
  return {
    ...empty,
    dependencies,
    ...(types.size === 0 ? {} : { javaTypes: types }),
    ...(beans.length === 0 ? {} : { beans }),
    ...(senders.size === 0 ? {} : { javaSenders: senders }),
  };
}
