// The part of p-retry's API that the demo uses (p-retry 9, index.d.ts), so that the demo
// type-checks without installing p-retry.
declare module 'p-retry' {
  export interface Options {
    retries?: number;
    factor?: number;
    minTimeout?: number;
    maxTimeout?: number;
    randomize?: boolean;
    maxRetryTime?: number;
    signal?: AbortSignal;
  }
  export default function pRetry<T>(input: (attemptNumber: number) => PromiseLike<T> | T, options?: Options): Promise<T>;
}
