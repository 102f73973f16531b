/** How hovers name what a project binding stands for. */
const FRIENDLY: Readonly<Record<string, string>> = {
  'celery.Celery': 'the Celery app',
  'requests.Session': 'a requests Session',
  'httpx.Client': 'an httpx Client',
  'httpx.AsyncClient': 'an httpx AsyncClient',
  'rq.Queue': 'an RQ queue',
  'bullmq.Queue': 'a BullMQ queue',
  'bull.Queue': 'a Bull queue',
  'axios.Instance': 'an axios instance',
  'net/http.Client': 'an http.Client',
  'github.com/hibiken/asynq.Client': 'an asynq Client',
};

/** A binding's type in words, for the hover of a name that stands for it (`the Celery app`). */
export function describe(type: string): string {
  if (FRIENDLY[type] !== undefined) return FRIENDLY[type];
  if (/^huey\.\w*Huey$/.test(type)) return 'the Huey instance';
  return `a \`${type}\``;
}
