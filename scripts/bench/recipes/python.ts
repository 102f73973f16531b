import { type Recipe, NOUNS, HOSTS, cap } from './recipe.js';

export const PYTHON: Recipe = {
  header: `"""Billing workers: Celery tasks, outbound calls and retries."""
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from celery import Celery, shared_task
from tenacity import retry, stop_after_attempt, wait_exponential

app = Celery("billing", broker="redis://localhost:6379/0")
log = logging.getLogger(__name__)
session = requests.Session()
HTTP_TIMEOUT = 10
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `@app.task(bind=True, max_retries=5, acks_late=True)
def sync_${pick(NOUNS)}_${i}(self, ${pick(NOUNS)}_id):
    # Push the record to the partner; the call below has no timeout.
    payload = {"id": ${pick(NOUNS)}_id, "source": "billing", "attempt": self.request.retries}
    response = requests.post("${pick(HOSTS)}/v1/${pick(NOUNS)}s", json=payload)
    if response.status_code >= 500:
        raise self.retry(countdown=2 ** self.request.retries)
    return response.json()`,
    (i, pick) => `@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=30))
def fetch_${pick(NOUNS)}_${i}(key: str) -> dict[str, Any]:
    url = f"${pick(HOSTS)}/v2/${pick(NOUNS)}/{key}"
    result = session.get(url, timeout=HTTP_TIMEOUT)
    result.raise_for_status()
    return result.json()`,
    (i, pick) => `def summarise_${pick(NOUNS)}s_${i}(rows: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row in rows:
        currency = row.get("currency", "EUR")
        amount = float(row.get("amount", 0))
        if amount < 0:
            log.warning("negative amount in %s", row.get("id"))
            continue
        totals[currency] = totals.get(currency, 0.0) + amount
    return {key: round(value, 2) for key, value in sorted(totals.items())}`,
    (i, pick) => `@dataclass
class ${cap(pick(NOUNS))}Record${i}:
    id: str
    amount: float
    currency: str = "EUR"
    status: str = "pending"

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "amount": self.amount, "currency": self.currency, "status": self.status})

    def is_settled(self) -> bool:
        return self.status in ("paid", "refunded")`,
    (i, pick) => `@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=True, max_retries=None)
def notify_${pick(NOUNS)}_${i}(event: dict[str, Any]) -> None:
    """Tell the partner about the event (retried by Celery)."""
    body = json.dumps(event, sort_keys=True)
    requests.put("${pick(HOSTS)}/events/${i}", data=body, headers={"Content-Type": "application/json"}, timeout=5)`,
    (i, pick) => `class ${cap(pick(NOUNS))}Client${i}:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> Any:
        return self.session.get(f"{self.base_url}/{path}").json()

    def close(self) -> None:
        self.session.close()`,
    (i, pick) => `def enqueue_${pick(NOUNS)}_batch_${i}(ids: list[str]) -> int:
    sent = 0
    for chunk_start in range(0, len(ids), 50):
        chunk = ids[chunk_start:chunk_start + 50]
        for item in chunk:
            sync_${pick(NOUNS)}_${Math.max(0, i - 1)}.delay(item)
            sent += 1
        time.sleep(0.05)
    return sent`,
    (i, pick) => `def parse_${pick(NOUNS)}_line_${i}(line: str) -> tuple[str, float] | None:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != 3 or not parts[0]:
        return None
    try:
        return parts[0], float(parts[2])
    except ValueError:
        log.debug("skipping malformed line: %r", line)
        return None`,
  ],
};
