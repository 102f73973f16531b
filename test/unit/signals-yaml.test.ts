import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Kubernetes manifests and GitHub Actions workflows: the signals each must yield (kind and API, in
 * source order). A document is read by its structure, so look-alikes (a `kind: CronJob` under
 * another key, a `schedule` outside `on`, a cron in a comment or a string) must yield nothing.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'Kubernetes CronJob and Job, in one stream and in a List',
    code: `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{ name: job, image: busybox }]
          restartPolicy: OnFailure
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: 2
  template:
    spec:
      containers: [{ name: job, image: busybox }]
      restartPolicy: Never
---
apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: { name: hourly }
    spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [] } } } } }
`,
    signals: ['schedule kubernetes.CronJob', 'task-def kubernetes.Job', 'schedule kubernetes.CronJob'],
  },
  {
    name: 'an Argo CronWorkflow is a schedule; a Workflow and a CronWorkflow of another API group are not',
    code: `
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: { name: nightly }
spec: { schedules: ["0 2 * * *"], workflowSpec: { entrypoint: main } }
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: { generateName: once- }
spec: { entrypoint: main }
---
apiVersion: example.com/v1
kind: CronWorkflow
metadata: { name: other }
`,
    signals: ['schedule argo.CronWorkflow'],
  },
  {
    name: 'GitHub Actions: each cron of on.schedule, with on quoted or not',
    code: `
name: nightly
on:
  schedule:
    - cron: "0 3 * * *"
    - cron: "30 12 * * 1"
  workflow_dispatch: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps: [{ run: echo hi }]
---
"on":
  schedule: [{ cron: "*/15 * * * *" }]
jobs:
  sync: { runs-on: ubuntu-latest, steps: [] }
`,
    signals: ['schedule github-actions.schedule', 'schedule github-actions.schedule', 'schedule github-actions.schedule'],
  },
  {
    name: 'traps: look-alikes that are not CronJobs, Jobs or workflow schedules',
    code: `
# kind: CronJob
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  kind: CronJob
  schedule: "0 3 * * *"
  note: "kind: Job"
---
name: not-a-workflow
schedule:
  - cron: "0 3 * * *"
steps: []
---
on:
  push: {}
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      schedule: "0 3 * * *"
    steps: [{ run: "echo 'cron: 0 3 * * *'" }]
`,
    signals: [],
  },
  {
    name: 'sidekiq-cron and sidekiq-scheduler schedule files: each job\'s cron or every, at the top or under :schedule:',
    code: `
import_market_data:
  cron: "0 22 * * 1-5" # weekdays
  class: "ImportMarketDataJob"
  queue: "scheduled"
clean_syncs:
  cron: "0 * * * *"
  class: "SyncCleanerJob"
---
HeartbeatJob:
  every: ["5m", first_in: "0s"]
backup:
  class: "RakeJob"
  args: ["db2fog:backup"]
  cron: "0 */4 * * *"
---
:concurrency: 5
:scheduler:
  :schedule:
    hello_world:
      every: 1m
      class: HelloWorld
`,
    signals: ['schedule sidekiq-cron', 'schedule sidekiq-cron', 'schedule sidekiq-scheduler', 'schedule sidekiq-scheduler', 'schedule sidekiq-scheduler'],
  },
  {
    name: 'Sidekiq\'s global :max_retries: beside its queues; not a max_retries of another file, nor one without Sidekiq\'s keys',
    code: `
:concurrency: 10
:max_retries: 9
:queues:
  - default
---
max_retries: 3
database:
  pool: 5
---
# :max_retries: 4 in a comment
:verbose: false
`,
    signals: ['retry sidekiq :max_retries (global)'],
  },
  {
    name: 'traps: a map with one entry that is no job, a cron that is not a string, a Kubernetes object, a cron in a comment',
    code: `
import_market_data:
  cron: "0 22 * * 1-5"
  class: "ImportMarketDataJob"
settings:
  timeout: 5
---
nightly:
  cron: 5
---
kind: ConfigMap
data:
  job:
    cron: "0 3 * * *"
---
# nightly:
#   cron: "0 3 * * *"
plain: value
`,
    signals: [],
  },
];

describeSignals('YAML signals', 'yaml', CASES);
