import type { Node } from 'web-tree-sitter';
import { enclosingOfType } from '../parsing/enclosing.js';

/**
 * Whether an HTTP request delivers a webhook: a notification pushed to a URL someone else
 * registered, which a retry delivers twice. One predicate for every language, read off the syntax
 * tree of the request call alone.
 *
 * The narrowest form that real senders match:
 *  - the URL argument (the first argument; the second when the first is a method string, as in
 *    `requests.request("POST", url)` or `http.NewRequest("POST", url, body)`; a `url` keyword or
 *    an options object's `url` key) names a webhook: one of its identifiers, attributes, fields,
 *    constants or subscript keys says `webhook`, or is a hook URL (`hook_url`, `hookUrl`, a
 *    `hook` from a list of them): `webhook.url`, `self.webhook_url`, `settings.SLACK_WEBHOOK_URL`,
 *    `ENV["SLACK_WEBHOOK_URL"]`, `hook.URL`;
 *  - or the call sits in a function or class whose name says it sends webhooks (`send_webhook`,
 *    `deliverWebhook`, `WebhookSender`), which covers a URL read into a local first.
 *
 * Left out, as they are no delivery: a GET, HEAD or DELETE (reading or removing a hook), a
 * client being built (`httpx.Client(...)`, `Faraday.new(url: ...)`), a URL
 * whose only mention of hooks is inside a string literal (`f"{api}/repos/{repo}/hooks"` registers
 * a hook with a provider's API), and functions that manage hooks (`create_webhook`).
 */
export function isWebhookRequest(call: Node, api: string): boolean {
  const method = /(\w+)$/.exec(api)?.[1] ?? '';
  // Only a request that sends is a delivery: not a client being built (`httpx.Client(...)`), nor a read.
  if (!REQUEST_METHOD.test(method)) return false;
  const url = urlArgument(call);
  if (url !== undefined && (namesWebhook(url) || isChatPostUrl(url))) return true;
  return inWebhookSender(call);
}

/**
 * The documented endpoints that post a message into a chat channel, as a URL literal starts: a
 * Slack incoming webhook (`hooks.slack.com`) or Web API message method (`chat.postMessage`), a
 * Microsoft Teams incoming webhook (`*.webhook.office.com`, the older `outlook.office.com/webhook`),
 * a Discord webhook, a Google Chat space's `messages`. Read off the literal's own text (the part
 * before any interpolation), never from a comment or another string.
 */
const CHAT_POST_URL = /^https?:\/\/(?:hooks\.slack\.com\/|(?:[\w-]+\.)?slack\.com\/api\/chat\.(?:postMessage|postEphemeral|scheduleMessage)\b|[\w-]+\.webhook\.office\.com\/|outlook\.office(?:365)?\.com\/webhook|(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/|chat\.googleapis\.com\/v1\/spaces\/)/;

/** Whether a URL argument is a literal (or a template starting with a literal) for one of `CHAT_POST_URL`'s endpoints. */
function isChatPostUrl(url: Node): boolean {
  if (!STRING_TYPES.has(url.type)) return false;
  // The literal text up to the first interpolation, without the quote and any prefix (`f"`, `r'`).
  const parts = url.namedChildren.filter((c): c is Node => c !== null);
  const firstInterpolation = parts.find((c) => /interpolation|substitution/.test(c.type));
  const head = url.text.slice(0, firstInterpolation === undefined ? undefined : firstInterpolation.startIndex - url.startIndex);
  return CHAT_POST_URL.test(head.replace(/^[A-Za-z]*["'`]+/, ''));
}

/** The methods and functions that send a request with a body: a POST, PUT or PATCH, or a request whose method is its argument. */
const REQUEST_METHOD = /^(?:post\w*|put|patch|request|send(?:Async)?|fetch|do|exchange|execute|urlopen|axios|got|ky)$/i;

/**
 * A name that says webhook, a hook URL, or the URL of a chat service's channel (`msteams_url`,
 * `SLACK_URL`, `discordChannelUrl`), which only an incoming webhook gives. A callback URL is left out: it is as often a
 * synchronous call whose answer the caller uses (a masking or signing callback) as a notification.
 */
const WEBHOOK_NAME = /webhook|(?:^|_)hook_?ur[il]$|hookUr[il]$|^hooks?$|(?:ms_?teams|slack|discord|mattermost|rocket_?chat|google_?chat)_?(?:channel_?)?ur[il]$/i;
/** A function or class that delivers webhooks, by its name. */
const SENDER_NAME = /(?:send|deliver|post|notify|fire|trigger|dispatch|push|call|execute)_?webhook|webhook_?(?:send|deliver|post|notif|dispatch|task|job|worker|request)/i;

/** Node types that hold a name in the languages the analysis reads. */
const NAME_TYPES = new Set(['identifier', 'property_identifier', 'field_identifier', 'constant', 'type_identifier', 'shorthand_property_identifier']);
const STRING_TYPES = new Set(['string', 'interpreted_string_literal', 'raw_string_literal', 'string_literal', 'template_string']);
const KEY_CONTAINERS = new Set(['subscript', 'subscript_expression', 'element_reference', 'index_expression']);
const OBJECT_TYPES = new Set(['dictionary', 'object', 'hash']);
const FUNCTION_TYPES = new Set(['function_definition', 'function_declaration', 'method_definition', 'method', 'singleton_method', 'method_declaration', 'class_definition', 'class_declaration', 'class', 'module']);

/** The URL argument of a request call, by its position or name. */
export function urlArgument(call: Node): Node | undefined {
  const args = call.childForFieldName('arguments');
  if (args === null) return undefined;
  const all = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
  for (const arg of all) {
    // `url=` in Python, `url:` in a Ruby call.
    if (arg.type === 'keyword_argument' && /^ur[il]$/i.test(arg.childForFieldName('name')?.text ?? '')) return arg.childForFieldName('value') ?? undefined;
    if (arg.type === 'pair' && /^:?ur[il]:?$/i.test(arg.childForFieldName('key')?.text ?? '')) return arg.childForFieldName('value') ?? undefined;
  }
  const positional = all.filter((a) => a.type !== 'keyword_argument' && a.type !== 'pair' && a.type !== 'dictionary_splat' && a.type !== 'hash_splat_argument');
  const [first, second] = positional;
  if (first === undefined) return undefined;
  if (STRING_TYPES.has(first.type) && /^["'`]?[A-Za-z]+["'`]?$/.test(first.text) && second !== undefined) return second;
  if (OBJECT_TYPES.has(first.type)) {
    for (const pair of first.namedChildren) {
      const key = pair?.childForFieldName('key');
      if (key != null && /^["']?:?ur[il]["']?:?$/i.test(key.text)) return pair?.childForFieldName('value') ?? undefined;
    }
    return undefined;
  }
  return first;
}

/** Whether an expression names a webhook through its names or subscript keys (never through other string text). */
export function namesWebhook(expression: Node): boolean {
  const visit = (node: Node): boolean => {
    if (NAME_TYPES.has(node.type)) return WEBHOOK_NAME.test(node.text);
    if (STRING_TYPES.has(node.type)) {
      // A string is a name only as a key: `settings["WEBHOOK_URL"]`, `ENV.fetch("SLACK_WEBHOOK_URL")`.
      const parent = node.parent;
      const key = parent !== null && (KEY_CONTAINERS.has(parent.type) || parent.type === 'argument_list' || parent.type === 'arguments') && node.id !== expression.id;
      if (key && WEBHOOK_NAME.test(node.text.replace(/^["'`]|["'`]$/g, ''))) return true;
      // Only the expressions interpolated into a string are names (`f"{self.webhook_url}?v=2"`).
      return node.namedChildren.some((child) => child !== null && /interpolation|substitution/.test(child.type) && visit(child));
    }
    return node.namedChildren.some((child) => child !== null && visit(child));
  };
  return visit(expression);
}

/** The nodes whose names say what a function or class does, for `inWebhookSender`. */
const SENDER_SCOPES = [...FUNCTION_TYPES, 'arrow_function', 'function_expression', 'function', 'variable_declarator'];
/** How many enclosing functions and classes are read: real senders sit a few levels up, and hostile nesting must stay cheap. */
const MAX_SCOPES = 32;

/**
 * Whether the call sits in a function or class named for sending webhooks. The enclosing scopes
 * are found from offsets (`enclosingOfType`): `Node.parent` walks down from the root, which costs
 * the square of the depth in deeply nested code.
 */
function inWebhookSender(call: Node): boolean {
  let n = enclosingOfType(call, SENDER_SCOPES);
  for (let level = 0; n !== undefined && level < MAX_SCOPES; level++, n = enclosingOfType(n, SENDER_SCOPES)) {
    if (n.type === 'variable_declarator') {
      // `const sendWebhook = async () => ...`: the declarator names the function it holds.
      const value = n.childForFieldName('value');
      const holdsFunction = value !== null && (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function');
      const name = n.childForFieldName('name')?.text;
      if (holdsFunction && name !== undefined && SENDER_NAME.test(name)) return true;
    } else if (FUNCTION_TYPES.has(n.type)) {
      const name = n.childForFieldName('name')?.text;
      if (name !== undefined && SENDER_NAME.test(name)) return true;
    }
  }
  return false;
}
