import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Every Python framework the server recognises, imported the ways real code imports it (aliases,
 * `from` imports, project modules), and the signals each use must yield (kind and canonical API,
 * in source order). Each sample ends with traps that must yield nothing: same-named methods of
 * other objects, names in strings and comments, and local functions.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'Celery: tasks under an alias, retry, enqueues, beat schedules, a project app',
    code: `
from celery import Celery, shared_task as task
from celery.schedules import crontab
from proj.celery import app as project_app

app = Celery("billing")
app.conf.beat_schedule = {"nightly": {"task": "t", "schedule": crontab(hour=3)}}

@app.on_after_configure.connect
def setup(sender, **kwargs):
    sender.add_periodic_task(30.0, ping.s())

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
      'schedule celery.Celery.conf.beat_schedule', 'schedule celery.schedules.crontab', 'schedule celery.Celery.add_periodic_task',
      'task-def celery.shared_task', 'retry celery.Task.retry', 'task-def celery.task', 'enqueue celery.Task.delay',
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
      'task-def dramatiq.actor', 'task-def huey.RedisHuey.task', 'schedule huey.RedisHuey.periodic_task',
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
    with cache.lock("nightly", timeout=60):
        pass
    redis_lock.Lock(cache, "nightly")
`,
    signals: [
      'circuit-breaker pybreaker.CircuitBreaker', 'circuit-breaker pybreaker.CircuitBreaker.__call__', 'notify smtplib.SMTP.send_message',
      'notify django.core.mail.send_mail', 'notify sendgrid.SendGridAPIClient.send', 'notify twilio.rest.Client.messages.create',
      'payment stripe.PaymentIntent.create', 'payment stripe.StripeClient.refunds.create', 'lock redis.Redis.lock', 'lock redis_lock.Lock',
    ],
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
