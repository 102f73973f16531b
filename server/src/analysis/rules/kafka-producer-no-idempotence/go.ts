import type { CallFact, FileFacts } from '../../facts/types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { confluentProducer } from './go-confluent.js';

/**
 * kafka-producer-no-idempotence in Go: a sarama producer whose `sarama.NewConfig()` (built in the
 * file and not handed elsewhere) never sets `Producer.Idempotent = true`; sarama's default is
 * false. No fix: idempotence also needs `RequiredAcks = WaitForAll`, `Net.MaxOpenRequests = 1`
 * and a broker version of at least 0.11, which the file may not show. A config that asks for
 * less than every replica's acknowledgement (`WaitForLocal`, `NoResponse`) is left alone: sarama
 * refuses idempotence beside it, so the producer has traded durability for throughput on purpose.
 * confluent-kafka-go's producer is read in `go-confluent.ts`.
 */
const SARAMA = 'github.com/IBM/sarama';
const PRODUCERS = new Set([`${SARAMA}.NewSyncProducer`, `${SARAMA}.NewAsyncProducer`]);

export function checkGo(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (!PRODUCERS.has(call.api)) return confluentProducer(facts, call);
  const origin = call.args?.positional[1]?.origin;
  const config = origin === undefined ? undefined : facts.calls.find((c) => c.start === origin && c.api === `${SARAMA}.NewConfig`);
  if (config === undefined || facts.instanceConfig.get(config.start)?.has('*') === true) return undefined;
  const idempotent = facts.memberAssignments?.find((a) => a.origin === config.start && a.path === 'Producer.Idempotent');
  if (idempotent !== undefined && idempotent.value.kind !== 'false') return undefined;
  const acks = facts.memberAssignments?.find((a) => a.origin === config.start && a.path === 'Producer.RequiredAcks');
  if (acks !== undefined && /^(?:WaitForLocal|NoResponse)$/.test(acks.value.api?.slice(acks.value.api.lastIndexOf('.') + 1) ?? '')) return undefined;
  return {
    range: calleeRange(call),
    message: 'sarama producer without `Producer.Idempotent = true` (default false): a retried send can write the record twice.',
    fixes: [],
  };
}
