import type { Node } from 'web-tree-sitter';
import { PROJECT_SENDER } from '../../project/types.js';
import { sendsNotification, signalKindOf } from '../../signals.js';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { attemptsOf, isAdd, isQueueConstructor, queueDefaults } from '../common/bull.js';
import { isFunction, numberValue, optionsAt, propertyOf, stringValue } from '../common/javascript.js';

/**
 * notify-in-retried-task in JavaScript: an email, SMS or webhook sent from code that the file
 * shows is retried: a BullMQ `Worker` or Bull `process` handler whose queue retries (`attempts`
 * above 1 in the same file), or the function given to p-retry or async-retry. A send preceded by
 * a check that looks like an idempotency guard (`alreadySent`, `claim`, a Redis `SET ... NX`) is
 * left alone; the guard's correctness is the book's subject, not the analyzer's.
 */
/** The libraries whose sends are text messages rather than emails. */
const SMS_LIBRARIES = /^(?:twilio|@vonage\/server-sdk|@vonage\/sms|messagebird|plivo|telnyx)\./;
/** Calls whose names say they check or record that a send already happened. */
const GUARD = /already|sent|idempot|dedup|once|claim|seen|processed|exists|acquire|lock|setnx/i;

interface RetriedTask {
  readonly function: Node;
  readonly why: string;
}

export function checkJavaScript(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const tasks = retriedTasks(facts);
  if (tasks.length === 0) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const what = sendKind(facts, call);
    if (what === undefined) continue;
    const task = tasks.find((t) => t.function.startIndex <= call.start && call.end <= t.function.endIndex);
    if (task === undefined || jsGuarded(task.function, call)) continue;
    findings.push({
      range: calleeRange(call),
      message: `${what === 'webhook' ? 'A' : 'An'} ${what} sent from ${task.why}: a failure after the send retries it, and the ${what} goes out again. Record the send under an idempotency key first.`,
      fixes: [],
    });
  }
  return findings;
}

/**
 * What a call sends, read off the syntax tree as every language reads it (`sendsNotification`): a
 * notify API (directly or through a project function that sends, `sendAlertEmail(...)` over
 * nodemailer) is an email or SMS; an HTTP request that delivers a webhook is a webhook. A URL only
 * mentioned in a string or a comment is no webhook.
 */
function sendKind(facts: FileFacts, call: CallFact): string | undefined {
  if (!sendsNotification(facts.language, call)) return undefined;
  if (signalKindOf(facts.language, call) !== 'notify') return 'webhook';
  return SMS_LIBRARIES.test(call.api.startsWith(PROJECT_SENDER) ? call.api.slice(PROJECT_SENDER.length) : call.api) ? 'SMS' : 'email';
}

/** Handlers the file shows are retried, with the reason in words. */
function retriedTasks(facts: FileFacts): RetriedTask[] {
  const tasks: RetriedTask[] = [];
  for (const call of facts.calls) {
    const args = call.args?.positional ?? [];
    if (call.api === 'p-retry' || call.api === 'async-retry') {
      const retries = propertyOf(optionsAt(call, 1), 'retries');
      const none = typeof retries !== 'string' && numberValue(facts, retries.value) === 0;
      const fn = args[0] === undefined ? undefined : handler(facts, args[0].node);
      if (fn !== undefined && !none) tasks.push({ function: fn, why: `a function that \`${call.api}\` retries` });
    } else if (call.api === 'bullmq.Worker' || call.api === 'bull.Queue.process') {
      const fn = args.map((a) => handler(facts, a.node)).find((f) => f !== undefined);
      const attempts = fn === undefined ? undefined : queueAttempts(facts, call);
      if (fn !== undefined && attempts !== undefined) tasks.push({ function: fn, why: `a job that is retried (\`attempts: ${attempts}\`)` });
    }
  }
  return tasks;
}

/** An inline function, or a function of this file named by an identifier. */
function handler(facts: FileFacts, node: Node): Node | undefined {
  if (isFunction(node)) return node;
  if (node.type !== 'identifier') return undefined;
  return topLevelFunctions(facts).get(node.text);
}

const topLevelFunctionsOf = new WeakMap<FileFacts, Map<string, Node>>();

/**
 * The file's top-level functions by name (declared, or a function assigned to a variable), the
 * first of a name winning. Built once per file: a file with many queues looks up many handlers.
 */
function topLevelFunctions(facts: FileFacts): Map<string, Node> {
  let functions = topLevelFunctionsOf.get(facts);
  if (functions !== undefined) return functions;
  functions = new Map();
  for (const child of facts.root.namedChildren) {
    const statement = child?.type === 'export_statement' ? child.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null : child;
    if (statement?.type === 'function_declaration') {
      const name = statement.childForFieldName('name')?.text;
      if (name !== undefined && !functions.has(name)) functions.set(name, statement);
    }
    if (statement?.type === 'lexical_declaration' || statement?.type === 'variable_declaration') {
      for (const d of statement.namedChildren) {
        const value = d?.childForFieldName('value');
        const name = d?.childForFieldName('name')?.text;
        if (name !== undefined && value != null && isFunction(value) && !functions.has(name)) functions.set(name, value);
      }
    }
  }
  topLevelFunctionsOf.set(facts, functions);
  return functions;
}

/**
 * The `attempts` above 1 that jobs of the worker's queue get in this file: from a queue of the same
 * name (`defaultJobOptions` or an `add`), or for Bull `process`, from the queue it is called on.
 */
function queueAttempts(facts: FileFacts, consumer: CallFact): string | undefined {
  const nameArg = consumer.api === 'bullmq.Worker' ? consumer.args?.positional[0] : consumer.receiver?.args?.positional[0];
  const name = nameArg === undefined ? undefined : stringValue(facts, nameArg);
  const sameQueue = (queue: CallFact | undefined): boolean => queue !== undefined && isQueueConstructor(queue)
    && (queue.start === consumer.receiver?.start || (name !== undefined && queue.args?.positional[0] !== undefined && stringValue(facts, queue.args.positional[0]) === name));
  for (const call of facts.calls) {
    let options;
    if (sameQueue(call)) {
      const defaults = queueDefaults(call);
      options = defaults.kind === 'object' ? defaults.object : undefined;
    } else if (isAdd(call) && sameQueue(call.receiver)) {
      const own = optionsAt(call, call.api === 'bull.Queue.add' && call.args?.positional[0]?.kind !== 'string' ? 1 : 2);
      options = own.kind === 'object' ? own.object : undefined;
    }
    const attempts = options?.props.get('attempts');
    const n = attempts === undefined ? undefined : attemptsOf(facts, attempts);
    if (attempts !== undefined && n !== undefined && n > 1) return attempts.value.text;
  }
  return undefined;
}

/** A call before the send, in the task, whose name says it checks or claims the send (the task map reads it too). */
export function jsGuarded(task: Node, send: CallFact): boolean {
  let found = false;
  const visit = (node: Node): void => {
    if (found || node.startIndex >= send.start) return;
    if (node.type === 'call_expression') {
      const callee = node.childForFieldName('function')?.text ?? '';
      const args = node.childForFieldName('arguments')?.text ?? '';
      if (GUARD.test(callee) || /['"]NX['"]/.test(args)) found = true;
    }
    for (const child of node.namedChildren) if (child !== null) visit(child);
  };
  visit(task);
  return found;
}
