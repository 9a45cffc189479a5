// One model, one queue (DESIGN.md): jobs run one at a time in arrival order; a full queue refuses
// at once (HESTIA_BUSY) rather than letting requests pile up past their deadlines; a job whose
// signal fires while it waits leaves the queue (HESTIA_TIMEOUT) and never runs.
import { HestiaError } from '../errors.js';

interface Job<T> {
  run: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class ModelQueue {
  readonly #waiting: Array<Job<unknown>> = [];
  readonly #maxWaiting: number;
  #running = false;
  #closed = false;
  readonly #idleWaiters: Array<() => void> = [];

  constructor(maxWaiting: number) {
    this.#maxWaiting = maxWaiting;
  }

  /** Jobs waiting, not counting the one running. */
  get waiting(): number {
    return this.#waiting.length;
  }

  get busy(): boolean {
    return this.#running;
  }

  push<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#closed) return Promise.reject(new HestiaError('HESTIA_BUSY', 'the model is shutting down'));
    if (signal?.aborted) return Promise.reject(timeout('before it reached the model'));
    if (this.#waiting.length >= this.#maxWaiting && (this.#running || this.#waiting.length > 0)) {
      return Promise.reject(new HestiaError('HESTIA_BUSY', `${this.#waiting.length} requests are already waiting for the model`));
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job<T> = {
        run,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#waiting.indexOf(job as Job<unknown>);
          if (i >= 0) {
            this.#waiting.splice(i, 1);
            reject(timeout('while it waited for the model'));
          }
        },
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#waiting.push(job as Job<unknown>);
      this.#pump();
    });
  }

  /** Refuses new jobs and fails the waiting ones; the running one finishes (its signal stops it). */
  close(): void {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) {
      job.signal?.removeEventListener('abort', job.onAbort);
      job.reject(new HestiaError('HESTIA_BUSY', 'the model is shutting down'));
    }
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.#running && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    if (this.#running) return;
    const job = this.#waiting.shift();
    if (!job) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    job.signal?.removeEventListener('abort', job.onAbort);
    this.#running = true;
    void (async () => {
      try {
        job.resolve(await job.run());
      } catch (err) {
        job.reject(err);
      } finally {
        this.#running = false;
        this.#pump();
      }
    })();
  }
}

function timeout(when: string): HestiaError {
  return new HestiaError('HESTIA_TIMEOUT', `the request passed its deadline ${when}`);
}
