/**
 * Background training jobs, one at a time in a child process: the event loop keeps answering
 * requests while a model fits, and the memory of the fit goes back to the system when the process
 * ends (a worker thread's would stay in the server's allocator), which keeps a long-running
 * server's footprint flat across retrains; a fit that runs out of memory cannot take the server
 * down with it. The process opens the store by its URL; an in-memory SQLite store cannot be shared
 * with another process, so it trains on the main thread instead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { ModelVersion, TrainingJob } from '../types.js';
import { trainVersion } from './train.js';
import type { TrainWorkerInput, TrainWorkerStart } from './train-worker.js';

/**
 * Starts the training process and sends it its input (over IPC, so a store URL with a password
 * never shows in the process list). Under tsx (tests) the entry is TypeScript and the child
 * loads tsx itself.
 */
function startWorker(input: TrainWorkerInput): ChildProcess {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const entry = new URL(`./train-worker.${typescript ? 'ts' : 'js'}`, here);
  const child = fork(entry, [], {
    execArgv: typescript ? ['--import', import.meta.resolve('tsx')] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const start: TrainWorkerStart = { type: 'start', input };
  child.send(start);
  return child;
}

type WorkerMessage =
  | { type: 'progress'; fraction: number; stage: string }
  | { type: 'done'; version: ModelVersion }
  | { type: 'error'; error: { code: string; message: string; hint: string | null } };

/** Options of {@link TrainingJobs}. */
export interface TrainingJobsOptions {
  store: Store;
  /** URL the worker opens the store with (default `store.url`, which carries no password). */
  storeUrl?: string;
  modelsDir: string;
  /** Called with each finished version; `activate` is what the job was started with. Errors fail the job. */
  onTrained: (version: ModelVersion, activate: boolean) => Promise<void>;
}

/** The queue of training jobs. */
export class TrainingJobs {
  private readonly all: TrainingJob[] = [];
  private readonly pending: { job: TrainingJob; activate: boolean }[] = [];
  private running: Promise<void> | null = null;
  private worker: ChildProcess | null = null;
  private closed = false;

  constructor(private readonly options: TrainingJobsOptions) {}

  /** Queues a job and returns its state at once. */
  start(spec: string, activate: boolean): TrainingJob {
    if (this.closed) throw new MagpieError('conflict', 'the engine is closing; no new training jobs');
    const job: TrainingJob = {
      id: `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      status: 'queued',
      model: spec,
      params: {},
      startedAt: null,
      finishedAt: null,
      progress: 0,
      version: null,
      error: null,
    };
    this.all.push(job);
    if (this.all.length > 100) this.all.splice(0, this.all.length - 100);
    this.pending.push({ job, activate });
    if (this.running === null) this.running = this.drain();
    return { ...job };
  }

  /** A copy of a job's state, or null. */
  get(id: string): TrainingJob | null {
    const job = this.all.find((j) => j.id === id);
    return job ? { ...job } : null;
  }

  /** Every recent job, newest first. */
  list(): TrainingJob[] {
    return this.all.map((j) => ({ ...j })).reverse();
  }

  /** True while a job is queued or running. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once every queued job has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the running training process (its job fails) and drops queued jobs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { job } of this.pending.splice(0)) this.fail(job, 'the engine closed before the job started');
    // A half-finished fit writes nothing visible: versions are staged and swapped in whole.
    this.worker?.kill('SIGKILL');
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) await this.run(next.job, next.activate);
    } finally {
      this.running = null;
    }
  }

  private async run(job: TrainingJob, activate: boolean): Promise<void> {
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    try {
      const version = await this.train(job);
      job.model = version.model;
      job.params = version.params;
      job.version = version.id;
      await this.options.onTrained(version, activate);
      job.status = 'done';
      job.progress = 1;
      job.finishedAt = new Date().toISOString();
    } catch (error) {
      this.fail(job, error instanceof MagpieError ? error.describe() : (error as Error).message ?? String(error));
    }
  }

  private fail(job: TrainingJob, why: string): void {
    job.status = 'failed';
    job.error = why;
    job.finishedAt = new Date().toISOString();
  }

  private train(job: TrainingJob): Promise<ModelVersion> {
    const { store, modelsDir } = this.options;
    const onProgress = (fraction: number): void => {
      job.progress = fraction;
    };
    if (store.url === ':memory:' || store.url.endsWith(':memory:')) return trainVersion(store, { spec: job.model, modelsDir, onProgress });
    return new Promise<ModelVersion>((resolve, reject) => {
      const worker = startWorker({ storeUrl: this.options.storeUrl ?? store.url, modelsDir, spec: job.model });
      this.worker = worker;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        this.worker = null;
        fn();
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress(message.fraction);
        else if (message.type === 'done') settle(() => resolve(message.version));
        else settle(() => reject(new MagpieError(message.error.code as MagpieError['code'], message.error.message, message.error.hint ? { hint: message.error.hint } : {})));
      });
      worker.on('error', (error) => settle(() => reject(error)));
      // 'close', not 'exit': it comes after the last message the process sent has been read.
      worker.on('close', (code, signal) =>
        settle(() => reject(new Error(`the training process stopped (${signal === null ? `exit code ${code}` : `signal ${signal}`}) before it finished`))),
      );
    });
  }
}
