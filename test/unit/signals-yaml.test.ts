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
];

describeSignals('YAML signals', 'yaml', CASES);
