import { GO_PROJECT_TYPE, returnType } from '../facts/go.js';
import type { GoFileSummary, GoTypeRef, GoValue } from './go-summary.js';
import { PROJECT_FACTORY, PROJECT_SENDER, type ModuleResolver, type ModuleSummary, type Origin, type ProjectName, type ProjectView } from './types.js';


/**
 * Go's project view: a file sees the package-level names of every other file of its package
 * directory by their bare names (`partnerClient`), and the exported names of the project's own
 * packages it imports by import path and name (`example.com/shop/internal/queue.New`). A name is
 * answered only when it stands for a library type (an `http.Client` literal, a function whose
 * first result is `*asynq.Client`); a project type, a value built some other way, or a chain that
 * does not end in a library stays unknown.
 */

/** How many functions a value may pass through (`New` calling `newClient` calling `asynq.NewClient`). */
const MAX_HOPS = 8;

type Describe = (type: string) => string;

interface Package {
  readonly files: readonly { readonly path: string; readonly go: GoFileSummary }[];
}

/** A value resolved to a library type, with where it was built and what it was given. */
interface GoResolved {
  readonly type: string;
  readonly instance: boolean;
  readonly origin: Origin | undefined;
  readonly configured: readonly string[] | 'unknown';
}

/** A record's own entry: names such as `constructor` are not the prototype's. */
function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function goView(resolver: ModuleResolver, summaryOf: (path: string) => ModuleSummary | undefined, describe: Describe, path: string, summary: ModuleSummary): ProjectView {
  const own = summary.go;
  const names = new Map<string, ProjectName>();
  const unknown = new Set<string>();
  const read = new Set<string>();
  if (own === undefined || resolver.packageFiles === undefined) return { names, unknown, dependencies: [] };
  const listFiles = resolver.packageFiles.bind(resolver);
  const packages = new Map<string, Package | undefined>();
  const packageOf = (importPath: string | undefined): Package | undefined => {
    const key = importPath ?? '';
    if (packages.has(key)) return packages.get(key);
    const files: { path: string; go: GoFileSummary }[] = [];
    const listed = listFiles(path, importPath);
    for (const file of listed ?? []) {
      const go = file === path ? own : summaryOf(file)?.go;
      if (file !== path) read.add(file);
      // A folder may hold an external test package (`package jobs_test`) beside the package itself.
      if (go !== undefined && (importPath !== undefined || go.package === own.package)) files.push({ path: file, go });
    }
    if (importPath === undefined && !files.some((f) => f.path === path)) files.push({ path, go: own });
    const pkg = listed === undefined ? undefined : { files };
    packages.set(key, pkg);
    return pkg;
  };

  const where = (origin: Origin | undefined): string => (origin === undefined ? '' : ` defined in ${resolver.display(origin.path)}:${origin.line + 1}`);
  const toName = (value: GoResolved): ProjectName => value.instance
    ? { type: value.type, instance: true, origin: value.origin, configured: value.configured, description: `${describe(value.type)}${where(value.origin)}` }
    : { type: `project:${value.type}`, instance: false, origin: value.origin, returns: value.type, description: `a function that returns ${describe(value.type)}${where(value.origin)}` };

  /** A package-level name of a package, resolved; `hops` bounds chains of functions and cycles. */
  const lookup = (pkg: Package, importPath: string | undefined, name: string, hops: number): GoResolved | undefined => {
    if (hops > MAX_HOPS) return undefined;
    const found = pkg.files.filter((f) => f.go.values[name] !== undefined);
    // The same name in two files of one package does not compile: unknown.
    if (found.length !== 1) return undefined;
    const file = found[0] as (typeof found)[number];
    const def = file.go.values[name] as GoFileSummary['values'][string];
    const origin: Origin = { path: file.path, ...def.at };
    const value = evaluate(file, importPath, def.value, origin, hops);
    if (value === undefined || !value.instance) return value;
    const initialised = pkg.files.flatMap((f) => f.go.initialised[name] ?? []);
    if (initialised.length === 0 || value.configured === 'unknown') return value;
    return { ...value, configured: [...new Set([...value.configured, ...initialised])].sort() };
  };

  /** A type or callee written in `file`: a library's, or a name of this or another project package. */
  const target = (file: { go: GoFileSummary }, importPath: string | undefined, ref: GoTypeRef): { library: string } | { pkg: Package; importPath: string | undefined; name: string } | undefined => {
    if (ref.pkg === '') {
      const pkg = packageOf(importPath);
      return pkg === undefined ? undefined : { pkg, importPath, name: ref.name };
    }
    const imported = file.go.imports[ref.pkg];
    if (imported === undefined) return undefined;
    const pkg = packageOf(imported);
    return pkg === undefined ? { library: `${imported}.${ref.name}` } : { pkg, importPath: imported, name: ref.name };
  };

  const evaluate = (file: { go: GoFileSummary }, importPath: string | undefined, value: GoValue, origin: Origin, hops: number): GoResolved | undefined => {
    switch (value.kind) {
      case 'literal':
      case 'typed': {
        const type = target(file, importPath, value.type);
        if (type === undefined || !('library' in type)) return undefined;
        const configured = value.kind === 'typed' || value.opaque ? 'unknown' : Object.keys(value.fields).filter((k) => value.fields[k] === 'set').sort();
        return { type: type.library, instance: true, origin: value.kind === 'typed' ? undefined : origin, configured };
      }
      case 'call': {
        const callee = target(file, importPath, value.callee);
        if (callee === undefined) return undefined;
        if ('library' in callee) {
          const type = returnType(callee.library);
          // Built by a library function from options this summary does not read: its configuration is unknown.
          return type === undefined ? undefined : { type, instance: true, origin, configured: 'unknown' };
        }
        const fn = lookup(callee.pkg, callee.importPath, callee.name, hops + 1);
        return fn === undefined || fn.instance ? undefined : { type: fn.type, instance: true, origin: fn.origin, configured: 'unknown' };
      }
      case 'func': {
        if (value.result === undefined) return undefined;
        const type = target(file, importPath, value.result);
        return type === undefined || !('library' in type) ? undefined : { type: type.library, instance: false, origin, configured: 'unknown' };
      }
      default:
        return undefined;
    }
  };

  /**
   * The methods of the project type `name` of a package that wrap a library call: a struct's own
   * (go-wrappers.ts); an interface's method when every type of its package that has all the
   * interface's methods wraps it (at least one does).
   */
  const wrappers = new Map<string, Map<string, { api: string; origin: Origin | undefined }>>();
  const wrappedMethods = (pkg: Package, importPath: string | undefined, name: string): Map<string, { api: string; origin: Origin | undefined }> => {
    const key = `${importPath ?? ''}.${name}`;
    const known = wrappers.get(key);
    if (known !== undefined) return known;
    const found = new Map<string, { api: string; origin: Origin | undefined }>();
    wrappers.set(key, found);
    const declared = pkg.files.map((f) => ownEntry(f.go.wrappers?.interfaces, name)).find((m) => m !== undefined);
    const types = declared === undefined ? [name] : [...new Set(pkg.files.flatMap((f) => Object.keys(f.go.wrappers?.methods ?? {})))].filter((t) => {
      const all = new Set(pkg.files.flatMap((f) => ownEntry(f.go.wrappers?.methods, t) ?? []));
      return declared.every((m) => all.has(m));
    });
    const methods = declared ?? [...new Set(pkg.files.flatMap((f) => ownEntry(f.go.wrappers?.methods, name) ?? []))];
    for (const method of methods) {
      const each = types.map((t) => {
        const file = pkg.files.find((f) => ownEntry(f.go.wrappers?.wraps, `${t}.${method}`) !== undefined);
        return file === undefined ? undefined : { api: ownEntry(file.go.wrappers?.wraps, `${t}.${method}`) as string, origin: undefined };
      });
      const first = each[0];
      if (each.length > 0 && first !== undefined && each.every((e) => e !== undefined)) found.set(method, { api: first.api, origin: undefined });
    }
    return found;
  };
  const goWrappers = new Map<string, string>();
  /** A project type with wrapping methods, as `GO_PROJECT_TYPE` and its package and name; undefined otherwise. */
  const projectType = (file: { go: GoFileSummary }, importPath: string | undefined, ref: GoTypeRef | undefined): string | undefined => {
    if (ref === undefined) return undefined;
    const type = target(file, importPath, ref);
    if (type === undefined || 'library' in type) return undefined;
    const methods = wrappedMethods(type.pkg, type.importPath, type.name);
    if (methods.size === 0) return undefined;
    const id = `${type.importPath ?? ''}.${type.name}`;
    for (const [method, wrapped] of methods) goWrappers.set(`${id}.${method}`, wrapped.api);
    return `${GO_PROJECT_TYPE}${id}`;
  };
  /** A package-level name that no library type explains: a function that wraps a library call, or that returns (or a value of) a project type that does. */
  const wrapperName = (pkg: Package, importPath: string | undefined, name: string): ProjectName | undefined => {
    const found = pkg.files.filter((f) => f.go.values[name] !== undefined);
    if (found.length !== 1) return undefined;
    const file = found[0] as (typeof found)[number];
    const def = file.go.values[name] as GoFileSummary['values'][string];
    const origin: Origin = { path: file.path, ...def.at };
    const wrapped = ownEntry(file.go.wrappers?.wraps, name);
    if (def.value.kind === 'func' && wrapped !== undefined) {
      return { type: `${PROJECT_SENDER}${wrapped}`, instance: false, origin, description: `a function that calls \`${wrapped}\`${where(origin)}` };
    }
    if (def.value.kind === 'func') {
      const type = projectType(file, importPath, def.value.result);
      return type === undefined ? undefined : { type: `${PROJECT_FACTORY}${type}`, instance: false, origin, returns: type, description: `a function that returns a project type whose methods wrap library calls${where(origin)}` };
    }
    const ref = def.value.kind === 'typed' || def.value.kind === 'literal' ? def.value.type : undefined;
    const type = projectType(file, importPath, ref);
    return type === undefined ? undefined : { type, instance: true, origin, description: `a value of a project type whose methods wrap library calls${where(origin)}` };
  };

  const ownPackage = packageOf(undefined);
  const initialised = new Map<string, string[]>();
  const structFields = new Map<string, string>();
  if (ownPackage !== undefined) {
    // A struct declared in two files of the package does not compile: unknown, like a name declared twice.
    const declared = new Map<string, number>();
    for (const file of ownPackage.files) for (const struct of Object.keys(file.go.structs ?? {})) declared.set(struct, (declared.get(struct) ?? 0) + 1);
    for (const file of ownPackage.files) {
      if (file.path === path) continue;
      for (const [struct, fields] of Object.entries(file.go.structs ?? {})) {
        if (declared.get(struct) !== 1) continue;
        for (const [field, ref] of Object.entries(fields)) {
          const type = target(file, undefined, ref);
          if (type !== undefined && 'library' in type) structFields.set(`${struct}.${field}`, type.library);
          else {
            const wrapping = projectType(file, undefined, ref);
            if (wrapping !== undefined) structFields.set(`${struct}.${field}`, wrapping);
          }
        }
      }
      for (const [name, fields] of Object.entries(file.go.initialised)) {
        if (own.values[name] !== undefined) initialised.set(name, [...new Set([...(initialised.get(name) ?? []), ...fields])].sort());
      }
      for (const name of Object.keys(file.go.values)) {
        const value = lookup(ownPackage, undefined, name, 0);
        const wrapping = value === undefined ? wrapperName(ownPackage, undefined, name) : undefined;
        if (value !== undefined) names.set(name, toName(value));
        else if (wrapping !== undefined) names.set(name, wrapping);
      }
    }
  }
  // The file's own structs' fields of project types (`sched scheduler.Scheduler`): the facts read them by type.
  for (const fields of Object.values(own.structs ?? {})) for (const ref of Object.values(fields)) projectType({ go: own }, undefined, ref);
  for (const importPath of new Set(Object.values(own.imports))) {
    const pkg = packageOf(importPath);
    if (pkg === undefined) continue;
    // The exported types of the package whose methods wrap a library call, for values of them the file declares (a parameter, a field).
    const exported = new Set(pkg.files.flatMap((f) => [...Object.keys(f.go.wrappers?.methods ?? {}), ...Object.keys(f.go.wrappers?.interfaces ?? {})]).filter((t) => /^[A-Z]/.test(t)));
    for (const type of [...exported].sort()) projectType(pkg.files[0] as { go: GoFileSummary }, importPath, { pkg: '', name: type });
    for (const file of pkg.files) {
      for (const name of Object.keys(file.go.values)) {
        if (!/^[A-Z]/.test(name)) continue;
        const value = lookup(pkg, importPath, name, 0);
        const wrapping = value === undefined ? wrapperName(pkg, importPath, name) : undefined;
        if (value !== undefined) names.set(`${importPath}.${name}`, toName(value));
        else if (wrapping !== undefined) names.set(`${importPath}.${name}`, wrapping);
        else unknown.add(`${importPath}.${name}`);
      }
    }
  }
  return {
    names, unknown, dependencies: [...read].sort(),
    ...(initialised.size === 0 ? {} : { initialised }),
    ...(structFields.size === 0 ? {} : { structFields }),
    ...(goWrappers.size === 0 ? {} : { goWrappers }),
  };
}
