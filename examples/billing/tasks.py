"""Billing tasks for the demo shop: charge an order, then sync the invoice to the ledger."""
import requests
from celery import Celery
from tenacity import retry, wait_exponential

app = Celery("billing", broker="redis://localhost:6379/0")

LEDGER_URL = "https://ledger.internal.example/api/invoices"


@app.task(bind=True, autoretry_for=(requests.RequestException,), max_retries=None)
def charge_order(self, order_id):
    # Hover `requests.post` to see what can go wrong; the squiggle offers a quick fix.
    response = requests.post(
        "https://payments.internal.example/charge",
        json={"order_id": order_id},
    )
    response.raise_for_status()
    return response.json()["charge_id"]


@retry(wait=wait_exponential(multiplier=1, max=30))
def push_invoice(invoice):
    return requests.put(f"{LEDGER_URL}/{invoice['id']}", json=invoice)


def invoice_status(invoice_id):
    session = requests.Session()
    return session.get(f"{LEDGER_URL}/{invoice_id}", timeout=5).json()["status"]
