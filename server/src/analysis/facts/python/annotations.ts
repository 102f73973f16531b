import type { Node } from 'web-tree-sitter';
import { PROJECT_FACTORY, PROJECT_SENDER } from '../../project/types.js';

/**
 * The type a parameter's annotation gives it (`session: aiohttp.ClientSession`,
 * `client: Optional[httpx.AsyncClient] = None`, `s: requests.Session | None`), so that calls on
 * the parameter resolve as calls on that library object. Only a plain name, a dotted name, an
 * `Optional[...]` of one or a union of one with `None`; a string annotation, a union of two
 * classes and a splat parameter (`*clients: Client`) give nothing.
 */
export function annotatedType(param: Node, resolve: (node: Node) => string | undefined): string | undefined {
  if (param.type !== 'typed_parameter' && param.type !== 'typed_default_parameter') return undefined;
  const name = param.type === 'typed_parameter' ? param.namedChild(0) : param.childForFieldName('name');
  if (name?.type !== 'identifier') return undefined;
  const type = typeExpression(param.childForFieldName('type'), resolve);
  return type === undefined || type.startsWith(PROJECT_FACTORY) || type.startsWith(PROJECT_SENDER) ? undefined : type;
}

/** The type an annotation (`Optional[X]`, `X | None`, `X`) names, for an annotated assignment (`status: Status = form.save()`). */
export function typeExpression(node: Node | null, resolve: (node: Node) => string | undefined): string | undefined {
  if (node === null) return undefined;
  switch (node.type) {
    case 'type':
      return typeExpression(node.namedChild(0), resolve);
    case 'identifier':
    case 'attribute':
      return resolve(node);
    case 'generic_type': {
      // `Optional[X]` is X or None: the calls made on it are X's.
      const head = node.namedChild(0);
      const headType = head === null ? undefined : resolve(head);
      if (head?.text !== 'Optional' && headType !== 'typing.Optional') return undefined;
      const parameter = node.namedChildren.find((c) => c?.type === 'type_parameter');
      const inner = parameter?.namedChildren.filter((c) => c !== null) ?? [];
      return inner.length === 1 ? typeExpression(inner[0] ?? null, resolve) : undefined;
    }
    case 'binary_operator': {
      // `X | None`, either way round.
      if (node.childForFieldName('operator')?.text !== '|') return undefined;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (right?.type === 'none') return typeExpression(left, resolve);
      if (left?.type === 'none') return typeExpression(right, resolve);
      return undefined;
    }
    default:
      return undefined;
  }
}
