import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Every Python framework the server recognises, imported the ways real code imports it (aliases,
 * `from` imports, project modules), and the signals each use must yield (kind and canonical API,
 * in source order). Each sample ends with traps that must yield nothing: same-named methods of
 * other objects, names in strings and comments, and local functions.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'Celery retry options: autoretry_for retries by itself; max_retries alone only shapes self.retry(), which is a retry of its own',
    code: `
from celery import shared_task

@shared_task(autoretry_for=(IOError,), max_retries=5)
def fetch():
    pass

@shared_task(max_retries=3, default_retry_delay=60)
def report():
    pass

@shared_task(bind=True, max_retries=3)
def push(self):
    raise self.retry(countdown=5)
`,
    signals: ['task-def celery.shared_task', 'retry celery.shared_task', 'task-def celery.shared_task', 'task-def celery.shared_task', 'retry celery.Task.retry'],
  },
  {
    name: 'hand-written retry loops: a loop that leaves on success and sleeps on failure is a retry; polling a result is not',
    code: `
import time


def load_rates(session, url):
    for attempt in range(4):
        try:
            response = session.get(url, timeout=3)
            response.raise_for_status()
            return response.json()
        except (ConnectionError, ValueError):
            time.sleep(1 + attempt)


def wait_for(job):
    while True:
        if job.done():
            return job.result()
        time.sleep(1)


def comment():
    # while True: try: return call() except: time.sleep(1)
    return "for attempt in range(3): time.sleep(1)"
`,
    signals: ['retry hand-written retry loop'],
  },
  {
    name: 'Tornado: fetch on an AsyncHTTPClient or HTTPClient is an HTTP call; fetch on anything else is not',
    code: `
from tornado import httpclient
from tornado.httpclient import HTTPClient

async def queues(url, cursor):
    client = httpclient.AsyncHTTPClient()
    response = await client.fetch(url, request_timeout=2.0)
    HTTPClient().fetch(url)
    cursor.fetch(url)
    return response
`,
    signals: ['http-call tornado.httpclient.AsyncHTTPClient.fetch', 'http-call tornado.httpclient.HTTPClient.fetch'],
  },
  {
    name: 'RQ: a queue made is a declaration, django-rq hands out RQ queues, and a partial of an enqueue given to on_commit enqueues; a partial of anything else does not',
    code: `
from functools import partial

import django_rq
import rq
from django.db import transaction
from redis import Redis

app_queue = rq.Queue("tasks", connection=Redis())

def run(job, func, when):
    queue = django_rq.get_queue("default")
    transaction.on_commit(partial(queue.enqueue_at, when, func, job_id=job))
    transaction.on_commit(partial(queue.enqueue, func, job_id=job))
    transaction.on_commit(partial(print, "queue.enqueue"))
    later = partial(job.save, update_fields=["status"])
`,
    signals: ['queue-config rq.Queue', 'enqueue rq.Queue.enqueue_at', 'enqueue rq.Queue.enqueue'],
  },
  {
    name: 'a parameter annotated with a library class (plain, dotted, Optional, or with None) is that object; other annotations are not',
    code: `
from typing import Optional
import aiohttp
import httpx
import requests
from aiohttp import ClientSession


async def sign_and_send(session: aiohttp.ClientSession, url, data):
    async with session.post(url, data=data) as response:
        return response


async def fetch(session: ClientSession, client: Optional[httpx.AsyncClient] = None, s: requests.Session | None = None):
    await session.get("https://example.com")
    await client.post("https://example.com")
    s.put("https://example.com", timeout=5)


def traps(session: "aiohttp.ClientSession", client: httpx.Client | requests.Session, *sessions: requests.Session, cache: dict = None):
    session.post("https://example.com")
    client.get("https://example.com")
    sessions.get("https://example.com")
    cache.get("https://example.com")
`,
    signals: ['http-call aiohttp.ClientSession.post', 'http-call aiohttp.ClientSession.get', 'http-call httpx.AsyncClient.post', 'http-call requests.Session.put'],
  },
  {
    name: 'chat notifications: slack_sdk Web API message methods and Incoming Webhooks, pymsteams connector cards, discord-webhook',
    code: `
import pymsteams
from discord_webhook import DiscordWebhook
from slack_sdk import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

client = WebClient(token=TOKEN)


def alert(text, url):
    client.chat_postMessage(channel="#ops", text=text)
    WebhookClient(url).send(text=text)
    card = pymsteams.connectorcard(url)
    card.text(text)
    card.send()
    DiscordWebhook(url=url, content=text).execute()


async def alert_async(text):
    await AsyncWebClient(token=TOKEN).chat_postEphemeral(channel="#ops", user="U1", text=text)


def traps(text, channel):
    client.users_lookupByEmail(email=text)
    channel.chat_postMessage(text=text)
    channel.execute(text)
    # client.chat_postMessage(channel="#ops", text=text)
`,
    signals: ['notify slack_sdk.WebClient.chat_postMessage', 'notify slack_sdk.webhook.WebhookClient.send', 'notify pymsteams.connectorcard.send', 'notify discord_webhook.DiscordWebhook.execute', 'notify slack_sdk.web.async_client.AsyncWebClient.chat_postEphemeral'],
  },
  {
    name: 'Celery beat tables in Django settings and config modules: every entry is a schedule, whatever its period is written as',
    code: `
from datetime import timedelta
from celery.schedules import crontab, schedule

CELERY_BEAT_SCHEDULE = {
    "add-alerts": {
        "task": "shop.tasks.add_alerts",
        "schedule": timedelta(hours=1),
        "options": {"expires": 4320},
    },
    "nightly": {"task": "shop.tasks.nightly", "schedule": crontab(hour=3, minute=0)},
    "often": {"task": "shop.tasks.often", "schedule": 30.0},
    "custom": {"task": "shop.tasks.custom", "schedule": schedule(run_every=timedelta(minutes=5))},
}
CELERYBEAT_SCHEDULE = {"legacy": {"task": "shop.tasks.legacy", "schedule": timedelta(days=1)}}


class Settings:
    CELERY_BEAT_SCHEDULE = {"in-class": {"task": "shop.tasks.weekly", "schedule": timedelta(weeks=1)}}


# Traps: a table of another name with a "schedule" key, a retention period, a string naming the setting.
RETENTION = {"logs": {"task": "none", "schedule": timedelta(days=30)}}
CACHE_TIMEOUT = timedelta(minutes=5)
NAME = "CELERY_BEAT_SCHEDULE"
# CELERY_BEAT_SCHEDULE = {"old": {"task": "t", "schedule": timedelta(hours=2)}}
`,
    signals: [
      'schedule celery.beat_schedule.entry', 'schedule celery.schedules.crontab', 'schedule celery.beat_schedule.entry',
      'schedule celery.schedules.schedule', 'schedule celery.beat_schedule.entry', 'schedule celery.beat_schedule.entry',
    ],
  },
  {
    name: 'Celery: tasks under an alias, retry, enqueues, beat schedules, a project app',
    code: `
from celery import Celery, shared_task as task
from celery.schedules import crontab
from proj.celery import app as project_app

app = Celery("billing")
app.conf.beat_schedule = {"nightly": {"task": "t", "schedule": crontab(hour=3)}}
app.conf.CELERYBEAT_SCHEDULE = {"often": {"task": "t", "schedule": 30.0}}

@app.on_after_configure.connect
def setup(sender, **kwargs):
    sender.add_periodic_task(30.0, ping.s())
    sender.add_periodic_task(crontab(hour=4), ping.s(), name="nightly ping")
    sender.add_periodic_task(schedule=crontab(hour=5), sig=ping.s())
    print(crontab(hour=6))

@task(bind=True, autoretry_for=(IOError,))
def ping(self):
    raise self.retry(countdown=5)

@project_app.task
def pong():
    pass

def run():
    ping.delay()
    pong.apply_async(countdown=10)
    ping.s().delay()
    app.send_task("billing.ping")
    queue = {}
    queue.get("delay")  # ping.delay() in a comment
`,
    signals: [
      // Each entry of a beat table is a schedule, on its own value: a crontab, or a period in seconds.
      'schedule celery.schedules.crontab', 'schedule celery.beat_schedule.entry', 'schedule celery.Celery.add_periodic_task',
      // A crontab handed to add_periodic_task is part of that schedule; one passed anywhere else is a schedule of its own.
      'schedule celery.Celery.add_periodic_task', 'schedule celery.Celery.add_periodic_task', 'schedule celery.schedules.crontab',
      'task-def celery.shared_task', 'retry celery.shared_task', 'retry celery.Task.retry', 'task-def celery.task', 'enqueue celery.Task.delay',
      'enqueue celery.Task.apply_async', 'enqueue celery.Signature.delay', 'enqueue celery.Celery.send_task',
    ],
  },
  {
    name: 'RQ, dramatiq and huey',
    code: `
import dramatiq
from huey import RedisHuey, crontab
from redis import Redis
from rq import Queue, Retry

q = Queue(connection=Redis())
huey = RedisHuey("jobs")

@dramatiq.actor(max_retries=3)
def charge(invoice_id):
    pass

@huey.task(retries=2)
def resize(image_id):
    pass

@huey.periodic_task(crontab(minute="0"))
def nightly():
    pass

def run(job):
    q.enqueue(job, retry=Retry(max=3, interval=[10, 30]))
    charge.send(1)
    resize(7)
    charge(1)
`,
    signals: [
      'queue-config rq.Queue',
      'task-def dramatiq.actor', 'retry dramatiq.actor', 'task-def huey.RedisHuey.task', 'retry huey.RedisHuey.task', 'schedule huey.RedisHuey.periodic_task',
      'enqueue rq.Queue.enqueue', 'retry rq.Retry', 'enqueue dramatiq.Actor.send', 'enqueue huey.Task',
    ],
  },
  {
    name: 'pika, kombu, kafka-python and confluent-kafka',
    code: `
import pika
from confluent_kafka import Consumer, Producer
from kafka import KafkaConsumer, KafkaProducer
from kombu import Connection, Exchange, Queue

connection = pika.BlockingConnection(pika.ConnectionParameters("rabbitmq"))
channel = connection.channel()
channel.queue_declare(queue="orders", durable=True)
channel.basic_publish(exchange="", routing_key="orders", body=b"x")
channel.basic_consume(queue="orders", on_message_callback=print)
orders = Queue("orders", Exchange("orders"), routing_key="orders")
with Connection("amqp://") as conn:
    conn.Producer().publish({"id": 1}, routing_key="orders")
KafkaProducer(bootstrap_servers="k").send("t", b"x")
for message in KafkaConsumer("t"):
    pass
producer = Producer({"bootstrap.servers": "k"})
producer.produce("t", b"x")
consumer = Consumer({"group.id": "g"})
consumer.poll(1.0)
`,
    signals: [
      'queue-config pika.Channel.queue_declare', 'enqueue pika.Channel.basic_publish', 'consumer pika.Channel.basic_consume',
      'queue-config kombu.Queue', 'queue-config kombu.Exchange', 'enqueue kombu.Producer.publish',
      'enqueue kafka.KafkaProducer.send', 'enqueue kafka.KafkaProducer', 'consumer kafka.KafkaConsumer',
      'enqueue confluent_kafka.Producer', 'enqueue confluent_kafka.Producer.produce', 'consumer confluent_kafka.Consumer',
      'consumer confluent_kafka.Consumer.poll',
    ],
  },
  {
    name: 'boto3 SQS (client and resource), SES and SNS; other services are not SQS',
    code: `
import boto3

sqs = boto3.client("sqs")
sqs.create_queue(QueueName="orders")
sqs.send_message(QueueUrl="u", MessageBody="b")
for m in sqs.receive_message(QueueUrl="u").get("Messages", []):
    sqs.delete_message(QueueUrl="u", ReceiptHandle=m["ReceiptHandle"])
queue = boto3.resource("sqs").get_queue_by_name(QueueName="orders")
for message in queue.receive_messages():
    message.delete()
boto3.Session().client("ses").send_email(Source="a", Destination={}, Message={})
boto3.client(service_name="sns").publish(TopicArn="t", Message="m")
boto3.client("s3").delete_object(Bucket="b", Key="k")
`,
    signals: [
      'queue-config boto3.sqs.Client.create_queue', 'enqueue boto3.sqs.Client.send_message', 'consumer boto3.sqs.Client.receive_message',
      'consumer boto3.sqs.Client.delete_message', 'consumer boto3.sqs.Queue.receive_messages', 'consumer boto3.sqs.Message.delete',
      'notify boto3.ses.Client.send_email', 'notify boto3.sns.Client.publish',
    ],
  },
  {
    name: 'APScheduler, schedule and Airflow',
    code: `
import schedule
from airflow import DAG
from airflow.operators.python import PythonOperator
from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler()

@scheduler.scheduled_job("cron", hour=3)
def nightly():
    pass

scheduler.add_job(nightly, "interval", minutes=5)
schedule.every(10).minutes.do(nightly)
with DAG("sync", schedule="@daily") as dag:
    PythonOperator(task_id="a", python_callable=nightly, retries=3)
    PythonOperator(task_id="b", python_callable=nightly)
with DAG("backfill", schedule_interval=None) as manual:
    pass
with DAG("replay", schedule=None) as manual:
    pass
`,
    signals: [
      'schedule apscheduler.BackgroundScheduler.scheduled_job', 'schedule apscheduler.BackgroundScheduler.add_job', 'schedule schedule.every',
      'schedule airflow.DAG', 'retry airflow.operators.python.PythonOperator', 'task-def airflow.operators.python.PythonOperator',
    ],
  },
  {
    name: 'HTTP clients and retry libraries, under aliases',
    code: `
import backoff
import httpx
import requests as r
import urllib.request
import urllib3
from tenacity import retry, stop_after_attempt
from urllib3.util.retry import Retry

@retry(stop=stop_after_attempt(3))
@backoff.on_exception(backoff.expo, IOError, max_tries=3)
def fetch(url):
    r.get(url, timeout=5)
    with r.Session() as s:
        s.post(url, timeout=5)
    httpx.get(url)
    urllib.request.urlopen(url, timeout=5)
    urllib3.PoolManager(retries=Retry(total=3)).request("GET", url)

def get(url):
    return {}.get(url)
`,
    signals: [
      'retry tenacity.retry', 'retry backoff.on_exception', 'http-call requests.get', 'http-call requests.Session.post', 'http-call httpx.get',
      'http-call urllib.request.urlopen', 'http-call urllib3.PoolManager.request', 'http-call urllib3.PoolManager', 'retry urllib3.Retry',
    ],
  },
  {
    name: 'an RQ queue the Flask app carries, read through current_app in a file that imports rq; another attribute is not',
    code: `
import rq
from flask import current_app

def launch_task(name, user_id):
    job = current_app.task_queue.enqueue(f"app.tasks.{name}", user_id)
    current_app.redis.enqueue(name)
    return job
`,
    signals: ['enqueue rq.Queue.enqueue'],
  },
  {
    name: 'a Celery task class: autoretry_for in its body and self.retry in its methods are retries; another class is not a task',
    code: `
from celery import Celery, Task

app = Celery("builds")

class UpdateDocsTask(Task):
    autoretry_for = (IOError,)
    retry_backoff = False

    def before_start(self, task_id, args, kwargs):
        self.retry(countdown=60)

class Base(app.Task):
    autoretry_for = (IOError,)

class Plain:
    autoretry_for = (IOError,)

    def run(self):
        self.retry()
`,
    signals: ['retry celery.Task.autoretry_for', 'retry celery.Task.retry', 'retry celery.Task.autoretry_for'],
  },
  {
    name: 'a webhook delivery is an HTTP call and a notification; a call to an API or a read of a hook is an HTTP call only',
    code: `
import requests
from django.conf import settings

def deliver(webhook, payload, api):
    requests.post(webhook.url, json=payload, timeout=5)
    requests.post(settings.SLACK_WEBHOOK_URL, json=payload, timeout=5)
    requests.post(api.base_url + "/hooks", json=payload, timeout=5)
    requests.get(webhook.url, timeout=5)
`,
    signals: [
      'http-call requests.post', 'notify requests.post (webhook delivery)', 'http-call requests.post', 'notify requests.post (webhook delivery)',
      'http-call requests.post', 'http-call requests.get',
    ],
  },
  {
    name: 'a function of the file that sends mail itself: its calls in a task are sends; a call outside any task, a shadowed name, a nested send and a method are not',
    code: `
from celery import shared_task
from sendgrid import SendGridAPIClient

def send_email(configuration, payload):
    client = SendGridAPIClient(configuration.api_key)
    client.send(payload)

def render(payload):
    def deliver():
        SendGridAPIClient("k").send(payload)
    return deliver

@shared_task
def confirm(configuration, payload):
    send_email(configuration=configuration, payload=payload)
    render(payload)

def confirm_now(configuration, payload):
    # Outside any task the send runs in place: the signal on client.send already says it.
    send_email(configuration=configuration, payload=payload)

@shared_task
def shadowed(payload):
    send_email = print
    send_email(payload)

class Mailer:
    def send_email(self, payload):
        return payload

Mailer().send_email({})
`,
    signals: ['notify sendgrid.SendGridAPIClient.send', 'notify sendgrid.SendGridAPIClient.send', 'task-def celery.shared_task', 'notify sendgrid.SendGridAPIClient.send (through a project function)', 'task-def celery.shared_task'],
  },
  {
    name: 'Notifications, payments, circuit breakers and locks',
    code: `
import smtplib

import pybreaker
import redis
import redis_lock
import stripe
from django.core.mail import send_mail
from sendgrid import SendGridAPIClient
from twilio.rest import Client

breaker = pybreaker.CircuitBreaker(fail_max=5)
cache = redis.Redis()

@breaker
def notify(to):
    with smtplib.SMTP("smtp.example.com", timeout=10) as smtp:
        smtp.send_message("m")
    send_mail("s", "m", "f", [to])
    SendGridAPIClient("k").send("m")
    Client("sid", "token").messages.create(to=to, body="hi")
    stripe.PaymentIntent.create(amount=100, currency="eur", idempotency_key="k")
    stripe.StripeClient("sk").v1.refunds.create({"charge": "ch"}, {"idempotency_key": "k"})
    stripe.Customer.retrieve("cus")
    stripe.PaymentMethod.modify("pm", metadata={})
    stripe.PaymentIntent.cancel("pi")
    stripe.Webhook.construct_event("payload", "sig", "secret")
    with cache.lock("nightly", timeout=60):
        pass
    redis_lock.Lock(cache, "nightly")
    cache.set("lock:nightly", "owner", nx=True, px=30000)
    cache.set("seen:1", "1", ex=60)
    cache.set("first", "1", nx=True)
`,
    signals: [
      'circuit-breaker pybreaker.CircuitBreaker', 'circuit-breaker pybreaker.CircuitBreaker.__call__', 'notify smtplib.SMTP.send_message',
      'notify django.core.mail.send_mail', 'notify sendgrid.SendGridAPIClient.send', 'notify twilio.rest.Client.messages.create',
      'payment stripe.PaymentIntent.create', 'payment stripe.StripeClient.refunds.create', 'payment stripe.Customer.retrieve',
      'payment stripe.PaymentMethod.modify', 'payment stripe.PaymentIntent.cancel', 'lock redis.Redis.lock', 'lock redis_lock.Lock',
      'lock redis.Redis.set',
    ],
  },
  {
    name: 'retry options: a mounted HTTPAdapter, the vendored urllib3 path, Airflow default_args',
    code: `
import requests
from airflow import DAG
from requests.adapters import HTTPAdapter
from requests.packages.urllib3.util.retry import Retry

default_args = {"owner": "data", "retries": 3}

session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=1)))
session.mount("http://", HTTPAdapter(max_retries=0))
session.mount("ftp://", HTTPAdapter(pool_connections=4))
with DAG("sync", schedule="@daily", default_args=default_args) as dag:
    pass
with DAG("load", schedule="@hourly", default_args={"retries": 2}) as other:
    pass
with DAG("report", schedule="@weekly", default_args={"owner": "data"}) as third:
    pass
`,
    signals: [
      'retry requests.adapters.HTTPAdapter', 'retry urllib3.Retry', 'schedule airflow.DAG', 'retry airflow.DAG', 'schedule airflow.DAG', 'retry airflow.DAG',
      'schedule airflow.DAG',
    ],
  },
  {
    name: 'the retry package: decorator and call form',
    code: `
from retry import retry
from retry.api import retry_call

@retry(ValueError, tries=3, delay=2, backoff=2)
def fetch_rates():
    pass

retry_call(fetch_rates, tries=5)
`,
    signals: ['retry retry.retry', 'retry retry.api.retry_call'],
  },
  {
    name: 'a library object built and returned by a function of the same file',
    code: `
import smtplib

import requests


def get_smtp(host, port, ssl=False):
    if ssl:
        smtp = smtplib.SMTP_SSL(host, port, timeout=3)
    else:
        smtp = smtplib.SMTP(host, port, timeout=3)
    smtp.login("u", "p")
    return smtp


def get_client(session):
    return session


def either(flag):
    if flag:
        return requests.Session()
    return smtplib.SMTP("h")


def send(msg, session):
    smtp = get_smtp("h", 25)
    smtp.send_message(msg)
    get_smtp("h", 465, ssl=True).sendmail("a", ["b"], "m")
    get_client(session).get("u")
    either(True).send_message(msg)
`,
    signals: ['notify smtplib.SMTP.send_message', 'notify smtplib.SMTP.sendmail'],
  },
  {
    name: 'dramatiq, huey (Django), RQ decorators and scheduler, kafka-python, confluent-kafka and kombu consumers, under aliases',
    code: `
import dramatiq
from dramatiq import actor as dactor
from huey.contrib.djhuey import db_task, periodic_task, task as huey_task
from huey import crontab
from kafka.consumer import KafkaConsumer
from kombu import Connection, Consumer, Queue as KQueue
from confluent_kafka import DeserializingConsumer, SerializingProducer
from rq import Queue as RQueue, Worker
from rq.decorators import job
from redis import Redis
from rq_scheduler import Scheduler

@dramatiq.actor
def bare(x):
    pass

@dactor(max_retries=3)
def aliased(x):
    pass

@huey_task(retries=3)
def t1():
    pass

@db_task()
def t2():
    pass

@periodic_task(crontab(minute="0"))
def t3():
    pass

@job("default", connection=Redis())
def rq_job():
    pass

def run():
    aliased.send_with_options(args=(1,), delay=1000)
    RQueue(connection=Redis()).enqueue_in(60, rq_job)
    Worker(["default"], connection=Redis()).work()
    Scheduler(connection=Redis()).cron("0 * * * *", func=rq_job)
    c = KafkaConsumer("t", enable_auto_commit=False)
    c.poll(1.0)
    c.commit()
    DeserializingConsumer({"group.id": "g"}).poll(1.0)
    SerializingProducer({}).produce("t", value=1)
    with Connection("amqp://") as conn:
        Consumer(conn, queues=[KQueue("q")], callbacks=[print])
        conn.SimpleQueue("q").get(block=True)
`,
    signals: [
      'task-def dramatiq.actor', 'task-def dramatiq.actor', 'retry dramatiq.actor', 'task-def huey.contrib.djhuey.task', 'retry huey.contrib.djhuey.task',
      'task-def huey.contrib.djhuey.db_task',
      'schedule huey.contrib.djhuey.periodic_task', 'task-def rq.decorators.job', 'enqueue dramatiq.Actor.send_with_options',
      'enqueue rq.Queue.enqueue_in', 'queue-config rq.Queue', 'consumer rq.Worker', 'schedule rq_scheduler.Scheduler.cron', 'consumer kafka.KafkaConsumer',
      'consumer kafka.KafkaConsumer.poll', 'consumer kafka.KafkaConsumer.commit', 'consumer confluent_kafka.DeserializingConsumer.poll',
      'consumer confluent_kafka.DeserializingConsumer', 'enqueue confluent_kafka.SerializingProducer.produce', 'enqueue confluent_kafka.SerializingProducer',
      'consumer kombu.Consumer', 'queue-config kombu.Queue', 'consumer kombu.SimpleQueue.get', 'queue-config kombu.Connection.SimpleQueue',
    ],
  },
  {
    name: 'Celery options and conf.update beat, Airflow TaskFlow and providers, APScheduler 3 and 4, tenacity and requests under aliases',
    code: `
from airflow.decorators import dag, task
from airflow.providers.http.operators.http import HttpOperator
from airflow.sensors.external_task import ExternalTaskSensor
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler import AsyncScheduler
from celery import Celery
from celery.schedules import crontab
import httpx
import urllib3
from requests import get, Session as S
from tenacity import retry as retrying, Retrying, AsyncRetrying, stop_after_attempt
import backoff

app = Celery("x")
app.conf.update(beat_schedule={"a": {"task": "t", "schedule": crontab()}})

@app.task(bind=True, autoretry_for=(IOError,), retry_backoff=True)
def charge(self):
    pass

@dag(schedule="@daily", catchup=False)
def pipeline():
    @task(retries=2)
    def extract():
        pass
    HttpOperator(task_id="h", http_conn_id="c", retries=3, retry_exponential_backoff=True)
    ExternalTaskSensor(task_id="s", external_dag_id="d")

sched = AsyncIOScheduler()
sched.add_job(charge, "interval", minutes=1)

async def v4():
    async with AsyncScheduler() as s:
        await s.add_schedule(charge, None)

@retrying(stop=stop_after_attempt(3))
@backoff.on_predicate(backoff.expo, max_time=30)
async def call(url):
    get(url, timeout=3)
    S().get(url, timeout=3)
    for attempt in Retrying(stop=stop_after_attempt(3)):
        pass
    async for attempt in AsyncRetrying(stop=stop_after_attempt(3)):
        pass
    async with httpx.AsyncClient(timeout=5) as client:
        await client.get(url)
    urllib3.request("GET", url, timeout=3)
`,
    signals: [
      'schedule celery.schedules.crontab', 'task-def celery.task', 'retry celery.task', 'schedule airflow.decorators.dag',
      'retry airflow.decorators.task', 'retry airflow.providers.http.operators.http.HttpOperator', 'task-def airflow.sensors.external_task.ExternalTaskSensor',
      'schedule apscheduler.AsyncIOScheduler.add_job', 'schedule apscheduler.AsyncScheduler.add_schedule', 'retry tenacity.retry', 'retry backoff.on_predicate',
      'http-call requests.get', 'http-call requests.Session.get', 'retry tenacity.Retrying', 'retry tenacity.AsyncRetrying', 'http-call httpx.AsyncClient',
      'http-call httpx.AsyncClient.get', 'http-call urllib3.request',
    ],
  },
  {
    name: 'traps: same-named decorators and queues of other libraries (invoke, prefect, queue, asyncio, sched, a project module) yield nothing',
    code: `
import asyncio
import queue
from invoke import task
from prefect import flow, task as ptask
from myapp.retrying import retry
from .clients import requests
from sched import scheduler

@task
def deploy(c):
    pass

@ptask(retries=3)
def step():
    pass

@flow
def pipeline():
    step()

@retry
def fetch(url):
    return requests.get(url)

q = queue.Queue()
q.put(1)
aq = asyncio.Queue()
aq.put_nowait(1)
s = scheduler()
s.enter(1, 1, print)
settings = {"retries": 3}
settings.get("timeout")
`,
    signals: [],
  },
  {
    name: 'traps: local look-alikes, strings and comments yield nothing',
    code: `
"""requests.get(url) and app.task in a docstring."""
class Queue:
    def enqueue(self, job):
        return job

def fetch(url):
    return url

def send_mail(*args):
    return args

# stripe.PaymentIntent.create(amount=1)
Queue().enqueue(fetch("https://example.com"))
send_mail("s", "m")
TEXT = "channel.basic_consume(queue='q', auto_ack=True)"
`,
    signals: [],
  },
];

describeSignals('Python signals', 'python', CASES);
