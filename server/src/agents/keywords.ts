/**
 * The words people use for reliability work, mapped to the chapters that answer them. Full-text
 * search alone misroutes short task descriptions: "run the nightly export on k8s" shares no word
 * with chapter 10's "schedule" or "CronJob", and "charge the card" none with "payment". Each entry
 * names the chapters most important first, like the decision matrix, and may add search terms so
 * the index finds the book's own vocabulary.
 */
export interface Keyword {
  /** A label shown as evidence ("words: webhook"); the first word the pattern is meant for. */
  readonly label: string;
  /** Matched against the lowercased task, on word boundaries. */
  readonly pattern: RegExp;
  readonly chapters: readonly number[];
  /** Words added to the full-text query, in the book's vocabulary. */
  readonly expand?: readonly string[];
  /** For phrases that settle the topic on their own (a dual write); 1 when absent. */
  readonly weight?: number;
}

export const KEYWORDS: readonly Keyword[] = [
  { label: 'webhook', pattern: /\bweb-?hooks?\b/, chapters: [12], expand: ['webhook'] },
  { label: 'email', pattern: /\b(e-?mails?|mail(er|s)?|smtp|sendgrid|mailgun|ses|nodemailer|newsletters?|receipts?)\b/, chapters: [12, 4], expand: ['email', 'notification'] },
  { label: 'sms', pattern: /\b(sms|texts?|text messages?|twilio|push notifications?|notif(y|ies|ications?)|alerts? (the )?(user|customer)s?)\b/, chapters: [12, 4], expand: ['sms', 'notification'] },
  { label: 'cron', pattern: /\b(cron(tab|jobs?)?|nightly|daily|hourly|weekly|monthly|every (night|day|hour|minute|morning|week|month|\d+ ?(minutes?|hours?|mins?|h|m))|overlap(s|ping)?|schedul(e|ed|er|ing)|periodic(ally)?|beat|apscheduler|@scheduled|timers?)\b/, chapters: [10], expand: ['schedule', 'cron'] },
  { label: 'sqs', pattern: /\b(sqs|kafka|rabbit(mq)?|amqp|pika|kombu|kinesis|pub\/?sub|nats|brokers?|consum(e|es|er|ers|ing|ption)|subscrib(e|er|ers|ing)|listen(er|ers|ing)?|@kafkalistener|@rabbitlistener)\b/, chapters: [3, 9, 8], expand: ['consumer', 'message'] },
  { label: 'charge', pattern: /\b(charg(e|es|ed|ing)|payments?|pay|paying|stripe|checkout|cards?|paypal|braintree|adyen|payouts?)\b/, chapters: [4], expand: ['payment', 'idempotency'] },
  { label: 'retry', pattern: /\b(retr(y|ies|ied|ying)|5xx|50[0-4]|429|backoff|back-off|back off|jitter|transient|re-?attempts?|attempts?|tenacity|p-retry|resilience4j retry)\b/, chapters: [5], expand: ['retry', 'backoff'] },
  { label: 'timeout', pattern: /\b(time-?outs?|timing out|time out|deadlines?|slow(ly|er)?|hang(s|ing)?|latency|stuck|takes? (too )?long|responsive)\b/, chapters: [6], expand: ['timeout', 'deadline'] },
  { label: 'outbox', pattern: /\b(outbox|after (saving|save|commit|committing|writing|the (db|database) (write|commit))|on[_ -]commit|(publish|emit|rais|fir|send)(es|s|ing|ting|e)? (an? |the )?([\w-]+ ){0,2}events?|after (the |an? )?[\w-]+ (is|was|gets|has been) (created|saved|updated|stored|committed|written)|dual[- ]writes?|cdc|debezium|change data capture|domain events?)\b/, chapters: [11, 4], expand: ['outbox', 'transaction'] },
  {
    label: 'dual write',
    pattern: /\b(db|database|table|rows?|transaction|orm)\b.*\b(and|then|also|same)\b.*\b(publish(es|ing)?|enqueu(e|es|ing)|emit(s|ting)?|kafka|queue|send(s|ing)?|notify|call(s|ing)?)\b/,
    chapters: [11, 4],
    expand: ['outbox', 'dual-write'],
    weight: 2,
  },
  { label: 'idempotent', pattern: /\b(idempoten(t|cy|ce)|dedup(e|licate|lication)?|duplicates?|twice|double[- ]?(charge|send|run|process)|exactly[- ]once|run(s)? more than once|once and only once)\b/, chapters: [4, 3], expand: ['idempotency', 'duplicate'] },
  { label: 'circuit breaker', pattern: /\b(circuit[- ]?breakers?|breakers?|bulkheads?|flaky|unreliable|cascad(e|ing)|fallbacks?|opossum|resilience4j|hystrix|fail fast|down(stream)? (is|goes) down|outages?)\b/, chapters: [7, 6], expand: ['breaker', 'bulkhead'] },
  { label: 'dead letter', pattern: /\b(dead[- ]?letter(ed|s)?|dlq|dlx|poison|redeliver(y|ed|s)?|keeps? failing|fails? (again and again|repeatedly|forever)|giv(e|es|ing) up|failed (jobs|messages|tasks|events)|replay(ing|s)?|max(imum)? ?receive ?count)\b/, chapters: [8], expand: ['dead-letter', 'poison'] },
  { label: 'worker', pattern: /\b(workers?|celery|sidekiq|bull(mq)?|rq|dramatiq|resque|activejob|active job|asynq|background (jobs?|tasks?)|job queues?|task queues?|tasks?|jobs?)\b/, chapters: [9, 4, 5], expand: ['task', 'worker'] },
  { label: 'ack', pattern: /\b(acks?|ack(nowledg(e|es|ing|ement|ments))|acks_late|auto[_ -]?ack|visibility timeout|prefetch|backlog|backpressure|load shedding|graceful(ly)? (shutdown|stop)|shut(ting)? down|sigterm|deploys?|concurrency|offsets?)\b/, chapters: [9, 3], expand: ['acknowledge', 'worker'] },
  { label: 'lock', pattern: /\b(locks?|lease|leader election|fencing|single (instance|replica)|one replica|several replicas|multiple replicas|replicas|instances|shedlock|redlock)\b/, chapters: [10, 4], expand: ['lock', 'lease'] },
  { label: 'kubernetes', pattern: /\b(k8s|kubernetes|kube|cronjob|helm)\b/, chapters: [10], expand: ['kubernetes', 'cronjob'] },
  { label: 'http', pattern: /\b(https?|api calls?|third[- ]party|external (api|service)|rest (call|api)|grpc|rpc|fetch|axios|requests|httpx|got|outbound|downstream|apis?|call(s|ing)? (an? |the )?(api|service|endpoint))\b/, chapters: [6, 5, 7], expand: ['http', 'call'] },
  { label: 'delivery', pattern: /\b(at[- ]most[- ]once|at[- ]least[- ]once|delivery (guarantee|semantics)|auto[- ]?commit|lost messages?|lose messages?|message loss|ordering|in order)\b/, chapters: [3, 4], expand: ['delivery', 'acknowledgement'] },
  { label: 'publish', pattern: /\b(publish(es|ing)?|enqueu(e|es|ed|ing)|produc(e|er|ers|ing)|send(s|ing)? (a |the )?messages?|put (it )?on (a|the) queue|\.delay|apply_async|perform_async|perform_later)\b/, chapters: [4, 3, 11], expand: ['enqueue', 'publish'] },
];

/** The keywords a task mentions, each once, in the table's order. */
export function keywordsIn(task: string): Keyword[] {
  const text = task.toLowerCase();
  return KEYWORDS.filter((k) => k.pattern.test(text));
}
