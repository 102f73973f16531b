import type { Node } from 'web-tree-sitter';
import { unquote } from './common.js';
import type { JavaBean } from '../project/types.js';

/**
 * Which of the project's `@Bean` methods Spring hands to an injection point: a constructor
 * parameter, a parameter of a `@Bean` or `@Autowired` method, a field marked `@Autowired`, `@Inject`
 * or `@Resource`, or a field Lombok's `@RequiredArgsConstructor` (`final`) or `@AllArgsConstructor`
 * puts in the generated constructor. Spring picks among the beans of the declared type by
 * `@Qualifier` (or `@Resource(name)`, `@Named`), then the one marked `@Primary`, then the bean whose
 * name is the parameter's or field's. When that leaves no single bean, the answer is unknown.
 */
const INJECTING = ['Autowired', 'Inject', 'Resource'];
const INJECTING_METHODS = ['Bean', 'Autowired', 'Inject'];

export function injectedBean(beans: readonly JavaBean[] | undefined, declaration: Node, type: string | undefined, name: string): JavaBean | undefined {
  if (beans === undefined || type === undefined || !isInjected(declaration)) return undefined;
  const candidates = beans.filter((b) => b.type === type);
  const qualifier = qualifierOf(declaration);
  if (qualifier !== undefined) return single(candidates.filter((b) => b.names.includes(qualifier)));
  return single(candidates) ?? single(candidates.filter((b) => b.primary)) ?? single(candidates.filter((b) => b.names.includes(name)));
}

function single(beans: readonly JavaBean[]): JavaBean | undefined {
  return beans.length === 1 ? beans[0] : undefined;
}

function isInjected(declaration: Node): boolean {
  if (declaration.type === 'formal_parameter') {
    const owner = declaration.parent?.parent;
    if (owner?.type === 'constructor_declaration') return true;
    return owner?.type === 'method_declaration' && INJECTING_METHODS.some((a) => annotationOf(owner, a) !== undefined);
  }
  if (declaration.type !== 'field_declaration') return false;
  if (INJECTING.some((a) => annotationOf(declaration, a) !== undefined)) return true;
  const words = modifiers(declaration)?.children.map((c) => c?.type) ?? [];
  if (words.includes('static')) return false;
  const owner = declaration.parent?.parent;
  if (owner == null) return false;
  return annotationOf(owner, 'AllArgsConstructor') !== undefined || (words.includes('final') && annotationOf(owner, 'RequiredArgsConstructor') !== undefined);
}

function qualifierOf(declaration: Node): string | undefined {
  for (const [name, key] of [['Qualifier', 'value'], ['Named', 'value'], ['Resource', 'name']] as const) {
    const annotation = annotationOf(declaration, name);
    for (const child of annotation?.childForFieldName('arguments')?.namedChildren ?? []) {
      const value = child?.type === 'element_value_pair' ? (child.childForFieldName('key')?.text === key ? child.childForFieldName('value') : null) : key === 'value' ? child : null;
      if (value?.type === 'string_literal') return unquote(value.text);
    }
  }
  return undefined;
}

function modifiers(declaration: Node): Node | undefined {
  return declaration.namedChildren.find((c) => c?.type === 'modifiers') ?? undefined;
}

function annotationOf(declaration: Node, simple: string): Node | undefined {
  return modifiers(declaration)?.namedChildren.find((a) => (a?.type === 'annotation' || a?.type === 'marker_annotation')
    && a.childForFieldName('name')?.text.split('.').pop() === simple) ?? undefined;
}
