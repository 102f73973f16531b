import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';
import type { ModuleSummary, NameSummary } from './types.js';
import { sendingMethods } from './java-senders.js';

/**
 * A Java file's export summary: its package, its single-type imports, the classes it declares with
 * the class each extends (as written), and the `@Bean` methods of its classes with what each
 * configures on the object it returns. Method bodies count only inside `@Bean` methods, whose
 * returned object other classes receive by injection, and as far as which methods make a call a
 * caller must know about, or call a method of a project type that may (java-senders.ts); any other edit in a body leaves the summary equal.
 */

export interface JavaClassSummary {
  /**
   * The superclass as written (`RestTemplate`, `org.x.Base`), without type arguments; for an
   * interface, the one interface it extends (a typed facade over a library interface).
   */
  readonly extends?: string;
  /** Whether it is an interface, and the interfaces a class implements, as written. */
  readonly interface?: true;
  readonly implements?: readonly string[];
  /** Methods that make a wrapped call (an HTTP call, a send, a publish...) through the class's fields, parameters or locals, and the API each calls (java-senders.ts). */
  readonly sends?: Readonly<Record<string, string>>;
  /** Methods that call methods of project types (`SmsSender.sendWithTemplate`), resolved by the model (java-senders.ts). */
  readonly forwards?: Readonly<Record<string, readonly string[]>>;
  readonly at: NameSummary['at'];
}

export interface JavaBeanSummary {
  /** The bean's name: `@Bean(name = ...)`'s first, else the method's name. */
  readonly name: string;
  /** Every name the bean answers to: its `@Bean` names, the method's name and its `@Qualifier`. */
  readonly names: readonly string[];
  /** The method's return type as written, without type arguments. */
  readonly type: string;
  readonly primary: boolean;
  /**
   * The methods called on the returned object where the method builds it (a builder chain, calls
   * on the local it returns), `<init>` for a constructor given arguments; `unknown` when the object
   * comes from elsewhere (a parameter, another method) or escapes to code this summary cannot read.
   */
  readonly configured: readonly string[] | 'unknown';
  /**
   * For a bean built from a configuration map (`new DefaultKafkaProducerFactory<>(props)`): the
   * map's entries, keys as Kafka names them and values as text, or `unknown` when not all are shown.
   */
  readonly settings?: Readonly<Record<string, string>> | 'unknown';
  readonly at: NameSummary['at'];
}

export interface JavaFileSummary {
  readonly package: string;
  /** Simple name → fully qualified name, for single-type imports. */
  readonly imports: Readonly<Record<string, string>>;
  /** Packages imported with `.*`. */
  readonly wildcards: readonly string[];
  /** Top-level and nested classes, by simple name. */
  readonly classes: Readonly<Record<string, JavaClassSummary>>;
  readonly beans: readonly JavaBeanSummary[];
  /**
   * Simple type names the file writes that no import explains: they may be classes of its own
   * package, which the model looks for beside the file.
   */
  readonly types: readonly string[];
}

/** The Kafka client constants a configuration map is keyed with, by the property each names. */
const CONFIG_CONSTANTS: Readonly<Record<string, string>> = {
  ENABLE_IDEMPOTENCE_CONFIG: 'enable.idempotence',
  ACKS_CONFIG: 'acks',
  RETRIES_CONFIG: 'retries',
  MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION: 'max.in.flight.requests.per.connection',
};
const MAP_TYPES = /^(?:java\.util\.)?(?:HashMap|LinkedHashMap|Properties|TreeMap)$/;
/** Calls on a configuration map that keep every entry in view. */
const MAP_WRITES = new Set(['put', 'setProperty']);
const CLASS_TYPES = new Set(['class_declaration', 'enum_declaration', 'record_declaration', 'interface_declaration']);

export function javaSummary(root: Node): ModuleSummary {
  let pkg = '';
  const imports: Record<string, string> = {};
  const wildcards: string[] = [];
  const classes: Record<string, JavaClassSummary> = {};
  const beans: JavaBeanSummary[] = [];
  const visitClass = (node: Node): void => {
    const name = node.childForFieldName('name');
    if (name === null) return;
    const superclass = node.childForFieldName('superclass')?.namedChild(0) ?? soleSuperinterface(node);
    const base = superclass == null ? undefined : rawType(superclass);
    const implemented = (node.childForFieldName('interfaces')?.namedChild(0)?.namedChildren ?? []).map((t) => rawType(t)).filter((t): t is string => t !== undefined);
    const { sends, forwards } = node.type === 'class_declaration' || node.type === 'enum_declaration' ? sendingMethods(node, imports, wildcards, pkg) : { sends: {}, forwards: {} };
    classes[name.text] = {
      ...(base === undefined ? {} : { extends: base }),
      ...(node.type === 'interface_declaration' ? { interface: true as const } : {}),
      ...(implemented.length === 0 ? {} : { implements: implemented }),
      ...(Object.keys(sends).length === 0 ? {} : { sends }),
      ...(Object.keys(forwards).length === 0 ? {} : { forwards }),
      at: at(name),
    };
    for (const member of node.childForFieldName('body')?.namedChildren ?? []) {
      if (member === null) continue;
      if (CLASS_TYPES.has(member.type)) visitClass(member);
      else if (member.type === 'method_declaration' && annotation(member, 'Bean') !== undefined) {
        const bean = beanOf(member, node);
        if (bean !== undefined) beans.push(bean);
      }
    }
  };
  for (const child of root.namedChildren) {
    if (child === null) continue;
    if (child.type === 'package_declaration') pkg = dotted(child.namedChild(0));
    else if (child.type === 'import_declaration') {
      const target = child.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
      if (target == null || child.children.some((c) => c?.type === 'static')) continue;
      const path = dotted(target);
      if (child.namedChildren.some((c) => c?.type === 'asterisk')) wildcards.push(path);
      else imports[path.slice(path.lastIndexOf('.') + 1)] = path;
    } else if (CLASS_TYPES.has(child.type)) visitClass(child);
  }
  const types = new Set<string>();
  for (const id of root.descendantsOfType('type_identifier')) {
    const text = id?.text;
    // A type inside a scoped name (`Outer.Inner`) is read through its first part.
    if (text === undefined || id?.parent?.type === 'scoped_type_identifier' && id.parent.namedChild(0)?.id !== id.id) continue;
    if (imports[text] === undefined && classes[text] === undefined && /^[A-Z]/.test(text)) types.add(text);
  }
  return {
    language: 'java',
    imports: {},
    names: {},
    celery: {},
    settings: {},
    environ: {},
    reaches: [],
    java: { package: pkg, imports, wildcards, classes, beans, types: [...types].sort() },
  };
}

function beanOf(method: Node, owner: Node): JavaBeanSummary | undefined {
  const name = method.childForFieldName('name')?.text;
  const typeNode = method.childForFieldName('type');
  const type = typeNode === null ? undefined : rawType(typeNode);
  if (name === undefined || type === undefined) return undefined;
  const bean = annotation(method, 'Bean');
  const declared = bean === undefined ? [] : stringsOf(bean, ['name', 'value']);
  const qualifier = annotation(method, 'Qualifier');
  const names = [...new Set([...declared, name, ...(qualifier === undefined ? [] : stringsOf(qualifier, ['value']))])];
  const body = method.childForFieldName('body');
  const returned = body === null ? [] : returns(body);
  const reading = new BeanReading(body, owner);
  const results = returned.map((r) => reading.configured(r, 0));
  const configured = results.length === 0 || results.some((r) => r === 'unknown') ? 'unknown' as const
    : [...new Set(results.flatMap((r) => r as string[]))].sort();
  const settings = returned.length === 1 && returned[0] !== undefined ? reading.settingsOf(returned[0]) : undefined;
  return {
    name: declared[0] ?? name,
    names,
    type,
    primary: annotation(method, 'Primary') !== undefined,
    configured,
    ...(settings === undefined ? {} : { settings }),
    at: at(method.childForFieldName('name') ?? method),
  };
}

/** How many locals or methods a returned object may pass through. */
const MAX_DEPTH = 4;

/** Reads what a `@Bean` method does to the object it returns. */
class BeanReading {
  constructor(private readonly body: Node | null, private readonly owner: Node) {}

  configured(node: Node, depth: number): readonly string[] | 'unknown' {
    if (depth > MAX_DEPTH) return 'unknown';
    const called: string[] = [];
    let head = node;
    while (head.type === 'method_invocation' && head.childForFieldName('object') !== null) {
      called.push(head.childForFieldName('name')?.text ?? '');
      head = head.childForFieldName('object') as Node;
    }
    if (head.type === 'parenthesized_expression' || head.type === 'cast_expression') {
      const inner = head.type === 'cast_expression' ? head.childForFieldName('value') : head.namedChild(0);
      const rest = inner === null ? 'unknown' : this.configured(inner, depth + 1);
      return rest === 'unknown' ? rest : [...called, ...rest];
    }
    if (head.type === 'object_creation_expression') {
      const args = head.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && !/comment/.test(c.type)) ?? [];
      return args.length > 0 ? [...called, '<init>'] : called;
    }
    // `WebClient.builder()`, `RetryTemplate.builder()`: a static factory of a class starts the chain.
    if (head.type === 'method_invocation') return 'unknown';
    if (head.type === 'identifier' && node !== head && /^[A-Z]/.test(head.text) && this.local(head.text) === undefined) return called;
    if (head.type !== 'identifier') return 'unknown';
    const local = this.local(head.text);
    // A parameter is injected, configured elsewhere; what the chain sets on it is still set.
    if (local === undefined) return this.isParameter(head.text) ? [...called, '<injected>'] : 'unknown';
    const value = local.childForFieldName('value');
    const start = value === null ? [] : this.configured(value, depth + 1);
    const uses = this.usesOf(head.text);
    if (start === 'unknown' || uses === 'unknown') return 'unknown';
    return [...called, ...start, ...uses];
  }

  private isParameter(name: string): boolean {
    const params = this.body?.parent?.childForFieldName('parameters');
    return params?.namedChildren.some((p) => p?.type === 'formal_parameter' && p.childForFieldName('name')?.text === name) ?? false;
  }

  /** A local variable declared in the method, by name. */
  private local(name: string): Node | undefined {
    for (const decl of this.body?.descendantsOfType('variable_declarator') ?? []) {
      if (decl?.childForFieldName('name')?.text === name && decl.parent?.type === 'local_variable_declaration') return decl;
    }
    return undefined;
  }

  /** Methods called on a local; `unknown` when it is handed to a call or assigned elsewhere. */
  private usesOf(name: string): readonly string[] | 'unknown' {
    const called: string[] = [];
    for (const id of this.body?.descendantsOfType('identifier') ?? []) {
      if (id?.text !== name) continue;
      const parent = id.parent;
      if (parent?.type === 'method_invocation' && parent.childForFieldName('object')?.id === id.id) called.push(parent.childForFieldName('name')?.text ?? '');
      else if (parent?.type === 'argument_list' || parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === id.id) return 'unknown';
    }
    return called;
  }

  /** The configuration map a returned factory is built from, when the method shows every entry. */
  settingsOf(node: Node): Readonly<Record<string, string>> | 'unknown' | undefined {
    if (node.type !== 'object_creation_expression' || !/ProducerFactory$/.test(rawType(node.childForFieldName('type')) ?? '')) return undefined;
    const arg = node.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && !/comment/.test(c.type));
    return arg == null ? 'unknown' : this.mapOf(arg, 0);
  }

  private mapOf(node: Node, depth: number): Readonly<Record<string, string>> | 'unknown' {
    if (depth > MAX_DEPTH) return 'unknown';
    if (node.type === 'method_invocation' && node.childForFieldName('object') === null) {
      // `producerConfigs()`: a method of the same class that builds and returns the map.
      const name = node.childForFieldName('name')?.text;
      const method = this.owner.childForFieldName('body')?.namedChildren.find((m) => m?.type === 'method_declaration' && m.childForFieldName('name')?.text === name);
      const body = method?.childForFieldName('body');
      const returned = body == null ? [] : returns(body);
      return returned.length === 1 && returned[0] !== undefined && body != null ? new BeanReading(body, this.owner).mapOf(returned[0], depth + 1) : 'unknown';
    }
    if (node.type !== 'identifier') return 'unknown';
    const local = this.local(node.text);
    const value = local?.childForFieldName('value');
    if (value?.type !== 'object_creation_expression' || !MAP_TYPES.test(rawType(value.childForFieldName('type')) ?? '')) return 'unknown';
    if ((value.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) return 'unknown';
    const entries: Record<string, string> = {};
    for (const id of this.body?.descendantsOfType('identifier') ?? []) {
      if (id?.text !== node.text || id.id === node.id || id.id === local?.childForFieldName('name')?.id) continue;
      const parent = id.parent;
      if (parent?.type === 'return_statement') continue;
      const call = parent?.type === 'method_invocation' && parent.childForFieldName('object')?.id === id.id ? parent : undefined;
      if (call === undefined || !MAP_WRITES.has(call.childForFieldName('name')?.text ?? '')) return 'unknown';
      const [key, value] = call.childForFieldName('arguments')?.namedChildren ?? [];
      const name = key == null ? undefined : configKey(key);
      if (name === undefined || value == null) return 'unknown';
      entries[name] = settingText(value);
    }
    return entries;
  }
}

/** A key written as a string or as a Kafka client constant (`ProducerConfig.ACKS_CONFIG`). */
function configKey(key: Node): string | undefined {
  if (key.type === 'string_literal') return unquote(key.text);
  const constant = key.type === 'field_access' ? key.childForFieldName('field')?.text : key.type === 'identifier' ? key.text : undefined;
  return constant === undefined ? undefined : (CONFIG_CONSTANTS[constant] ?? constant);
}

/** A value as text: `"false"`, `false` and `Boolean.FALSE` all read `false`; anything not literal reads `?`. */
function settingText(value: Node): string {
  if (value.type === 'string_literal') return unquote(value.text).trim();
  if (value.type === 'true' || value.type === 'false' || /integer_literal$/.test(value.type)) return value.text;
  const flag = /^(?:java\.lang\.)?Boolean\.(TRUE|FALSE)$/.exec(value.text.replace(/\s+/g, ''))?.[1];
  return flag?.toLowerCase() ?? '?';
}

/** The expressions a method body returns, not counting lambdas and classes inside it. */
function returns(body: Node): Node[] {
  const found: Node[] = [];
  const walk = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (child === null || child.type === 'lambda_expression' || child.type === 'class_body') continue;
      if (child.type === 'return_statement') {
        const value = child.namedChild(0);
        if (value !== null) found.push(value);
      } else walk(child);
    }
  };
  walk(body);
  return found;
}

/** An annotation of a declaration, by simple or qualified name. */
function annotation(declaration: Node, simple: string): Node | undefined {
  const modifiers = declaration.namedChildren.find((c) => c?.type === 'modifiers');
  return modifiers?.namedChildren.find((a) => (a?.type === 'annotation' || a?.type === 'marker_annotation')
    && dotted(a.childForFieldName('name')).split('.').pop() === simple) ?? undefined;
}

/** The string values of an annotation's elements: `@Bean("a")`, `@Bean(name = {"a", "b"})`. */
function stringsOf(node: Node, keys: readonly string[]): string[] {
  const args = node.childForFieldName('arguments');
  const values: Node[] = [];
  for (const child of args?.namedChildren ?? []) {
    if (child === null) continue;
    if (child.type === 'element_value_pair') {
      const value = child.childForFieldName('value');
      if (keys.includes(child.childForFieldName('key')?.text ?? '') && value !== null) values.push(value);
    } else if (keys.includes('value')) values.push(child);
  }
  return values.flatMap((v) => (v.type === 'element_value_array_initializer' ? v.namedChildren : [v]))
    .filter((v): v is Node => v?.type === 'string_literal').map((v) => unquote(v.text));
}

/** A type as written, without type arguments or annotations: `KafkaTemplate<K, V>` → `KafkaTemplate`. */
/**
 * The interface an interface extends, when it extends exactly one: its methods are that
 * interface's, so the project interface stands for it as a subclass stands for its superclass.
 */
function soleSuperinterface(node: Node): Node | undefined {
  if (node.type !== 'interface_declaration') return undefined;
  const list = node.namedChildren.find((c) => c?.type === 'extends_interfaces')?.namedChild(0);
  const types = list?.namedChildren.filter((c): c is Node => c !== null) ?? [];
  return types.length === 1 ? types[0] : undefined;
}

export function rawType(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'generic_type') return rawType(node.namedChild(0));
  if (node.type === 'type_identifier' || node.type === 'scoped_type_identifier' || node.type === 'identifier' || node.type === 'scoped_identifier') return node.text.replace(/\s+/g, '');
  return undefined;
}

function dotted(node: Node | null | undefined): string {
  return node == null ? '' : node.text.replace(/\s+/g, '');
}

function at(node: Node): NameSummary['at'] {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}
