import { type Block, type Recipe, NOUNS } from './recipe.js';

const YAML_BLOCKS: readonly Block[] = [
  (i, pick) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${pick(NOUNS)}-sync-${i}
  labels:
    app: billing
spec:
  schedule: "*/${1 + (i % 30)} * * * *"
  jobTemplate:
    spec:
      backoffLimit: 3
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: sync
              image: registry.example/billing:${i}
              args: ["sync", "--${pick(NOUNS)}"]`,
  (i, pick) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${pick(NOUNS)}-report-${i}
spec:
  schedule: "0 ${i % 24} * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example/reports:${i}`,
  (i, pick) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${pick(NOUNS)}-api-${i}
spec:
  replicas: ${1 + (i % 4)}
  selector:
    matchLabels:
      app: ${pick(NOUNS)}-api-${i}
  template:
    metadata:
      labels:
        app: ${pick(NOUNS)}-api-${i}
    spec:
      containers:
        - name: api
          image: registry.example/api:${i}
          ports:
            - containerPort: 8080`,
];

export const YAML: Recipe = { header: '# Billing cron jobs and services.\n', blocks: YAML_BLOCKS, separator: '\n---\n' };
