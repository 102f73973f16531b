/**
 * Whether every exception class a task is retried for is the sending library's own refusal:
 * defined in the send's top-level package, and not named for a timeout or a lost connection, nor
 * a base class that holds timeouts (requests' `RequestException` is the base of its `Timeout` and
 * `ConnectionError`; httpx's `HTTPError`, `RequestError` and `TransportError` hold its
 * `TimeoutException`).
 */
export function refusalsOnly(classes: readonly string[], api: string | undefined): boolean {
  const pkg = api?.split('.')[0];
  if (pkg === undefined || pkg === '' || classes.length === 0) return false;
  return classes.every((name) => name.split('.')[0] === pkg && !/timeout|timedout|connect|disconnect/i.test(name.split('.').pop() ?? '') && !BASE_CLASSES.has(name.replace(/\.exceptions\./, '.')));
}

const BASE_CLASSES = new Set(['requests.RequestException', 'httpx.HTTPError', 'httpx.RequestError', 'httpx.TransportError']);
