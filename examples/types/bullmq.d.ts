// The part of BullMQ's API that the demo uses (bullmq 6), so that the demo type-checks without
// installing BullMQ.
declare module 'bullmq' {
  export interface ConnectionOptions {
    host?: string;
    port?: number;
  }
  export interface JobsOptions {
    jobId?: string;
    attempts?: number;
    backoff?: number | { type: 'fixed' | 'exponential'; delay?: number; jitter?: number };
    deduplication?: { id: string; ttl?: number };
  }
  export class Job<DataType = unknown> {
    readonly id?: string;
    readonly name: string;
    readonly data: DataType;
    readonly attemptsMade: number;
  }
  export class Queue<DataType = unknown> {
    constructor(name: string, opts?: { connection: ConnectionOptions; defaultJobOptions?: JobsOptions });
    add(name: string, data: DataType, opts?: JobsOptions): Promise<Job<DataType>>;
  }
  export class Worker<DataType = unknown> {
    constructor(name: string, processor: (job: Job<DataType>) => Promise<unknown>, opts?: { connection: ConnectionOptions; concurrency?: number });
  }
}
