// The main thread's end of the GPU worker: post a job, sleep on the control
// block until the worker marks it done (protocol.ts). Every call either
// returns or throws GpuError; a job that takes longer than the timeout
// counts as a lost device, so nothing waits forever.
import * as p from './protocol';

/** What host.ts starts. `module` is the `webgpu` package's URL in Node. */
export interface GpuWorker {
  module: string | null;
  post(job: p.Job, transfer?: ArrayBuffer[]): void;
  terminate(): void;
  /** Calls back once if the worker dies (an uncaught error, or it exited). */
  onExit(listener: (why: string) => void): void;
}

/** A GPU job failed; `lost`: the device is gone (every later job would fail too). */
export class GpuError extends Error {
  override name = 'GpuError';
  constructor(message: string, readonly lost = false) {
    super(message);
  }
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

const INITIAL_STAGING = 1 << 20;

type WaitAsync = (a: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: unknown };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Up to 50 ms until word 0 of flags changes from 0, without blocking (Atomics.waitAsync, else a timer). */
async function sleepOn(flags: Int32Array): Promise<void> {
  const waited = waitAsync?.(flags, 0, 0, 50);
  if (waited?.async) await waited.value;
  else if (!waited) await new Promise((resolve) => setTimeout(resolve, 1));
}

export class GpuConnection {
  private readonly control = new SharedArrayBuffer(4 * p.CONTROL_WORDS);
  private readonly ctl = new Int32Array(this.control);
  private staging = new SharedArrayBuffer(INITIAL_STAGING);
  private seq = 0;
  private nextId = 1;
  private dead: string | null = null;
  /** Pipeline keys the worker has compiled. */
  private readonly compiled = new Set<string>();
  info: AdapterInfo | null = null;
  /** Transfers and dispatches so far: tests check that data moved only when it had to. */
  readonly counts = { uploads: 0, downloads: 0, dispatches: 0 };

  constructor(private readonly worker: GpuWorker, private readonly timeoutMs: number) {
    // A dead worker answers nothing: mark the device lost so waits end now, not at the timeout.
    worker.onExit((why) => {
      this.dead ??= `the GPU worker stopped (${why})`;
      Atomics.store(this.ctl, p.LOST, 1);
    });
  }

  /** Creates the adapter and device (the only job allowed to take long: first start). */
  async init(): Promise<AdapterInfo> {
    const seq = ++this.seq;
    this.worker.post({ kind: 'init', seq, module: this.worker.module, control: this.control, staging: this.staging });
    // Awaited rather than blocked on: starting Dawn and requesting the adapter
    // can take seconds, and the caller's event loop keeps running meanwhile.
    const deadline = Date.now() + Math.max(this.timeoutMs, 60_000);
    while (Atomics.load(this.ctl, p.DONE) !== seq) {
      if (Date.now() > deadline) this.fail('the GPU worker did not start in time', true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const text = this.replyText();
    if (Atomics.load(this.ctl, p.STATUS) !== p.OK) this.fail(text, true);
    this.info = JSON.parse(text) as AdapterInfo;
    return this.info;
  }

  get lost(): boolean {
    return this.dead !== null || Atomics.load(this.ctl, p.LOST) === 1;
  }

  newId(): number {
    return this.nextId++;
  }

  /** Copies bytes to a new GPU buffer `id`; not waited for (a failure shows at the first run using it). */
  upload(id: number, data: ArrayBuffer): void {
    this.check();
    this.counts.uploads++;
    this.worker.post({ kind: 'upload', id, data }, [data]);
  }

  free(id: number): void {
    if (this.dead === null) this.worker.post({ kind: 'free', id });
  }

  /** The first `bytes` bytes of buffer `id`, as a view of the staging buffer (valid until the next call). */
  download(id: number, bytes: number): Uint8Array {
    this.ensureStaging(bytes);
    this.counts.downloads++;
    this.call({ kind: 'download', seq: 0, id, bytes });
    return new Uint8Array(this.staging, 0, bytes);
  }

  /**
   * The same readback without blocking the thread (Tensor.data()): the worker
   * fills a buffer of its own, so waited-for jobs posted meanwhile cannot
   * overwrite it. Resolves to a copy of the bytes.
   */
  async downloadAsync(id: number, bytes: number): Promise<Uint8Array> {
    this.check();
    this.counts.downloads++;
    const target = new SharedArrayBuffer(p.ASYNC_HEADER + bytes);
    const flags = new Int32Array(target, 0, 2);
    this.worker.post({ kind: 'readAsync', id, bytes, target });
    const deadline = Date.now() + this.timeoutMs;
    // A pending Atomics.waitAsync does not keep Node's event loop alive (and the
    // worker is unref'd): without this timer `await t.data()` at the end of a
    // script would let the process exit before the data arrives.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      while (Atomics.load(flags, 0) === 0) {
        await sleepOn(flags);
        if (Atomics.load(flags, 0) === 1) break;
        if (Atomics.load(this.ctl, p.LOST) === 1) this.fail('the GPU device was lost', true);
        if (Date.now() > deadline) this.fail(`a GPU readback took longer than ${this.timeoutMs} ms`, true);
      }
    } finally {
      clearInterval(keepAlive);
    }
    if (Atomics.load(flags, 1) !== p.OK) throw new GpuError('a GPU readback failed');
    return new Uint8Array(target, p.ASYNC_HEADER, bytes).slice();
  }

  /** Runs a dispatch; its WGSL crosses to the worker only with the first run of its key. */
  run(job: Omit<p.RunJob, 'kind' | 'seq'>): void {
    this.counts.dispatches++;
    const known = this.compiled.has(job.key);
    try {
      this.call({ kind: 'run', seq: 0, ...job, code: known ? null : job.code });
      this.compiled.add(job.key);
    } catch (error) {
      // The worker forgets a pipeline that failed to build: send its code again next time.
      this.compiled.delete(job.key);
      throw error;
    }
  }

  stats(): { buffers: number; bytes: number } {
    this.call({ kind: 'stats', seq: 0 });
    return JSON.parse(this.replyText()) as { buffers: number; bytes: number };
  }

  /** Destroys the device (tests use it to lose the device mid-run). */
  destroyDevice(): void {
    this.call({ kind: 'destroy', seq: 0 });
  }

  close(): void {
    this.dead ??= 'closed';
    this.worker.terminate();
  }

  private check(): void {
    if (this.dead !== null) throw new GpuError(`the GPU is unusable: ${this.dead}`, true);
    if (Atomics.load(this.ctl, p.LOST) === 1) this.fail('the GPU device was lost', true);
  }

  private call(job: Extract<p.Job, { seq: number }>): void {
    this.check();
    const seq = ++this.seq;
    this.worker.post({ ...job, seq } as p.Job);
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(this.ctl, p.DONE) < seq) {
      // Wake now and then to notice a device lost while the job was queued.
      Atomics.wait(this.ctl, p.DONE, Atomics.load(this.ctl, p.DONE), 50);
      if (Atomics.load(this.ctl, p.DONE) >= seq) break;
      if (Atomics.load(this.ctl, p.LOST) === 1) this.fail('the GPU device was lost', true);
      if (Date.now() > deadline) this.fail(`a GPU job (${job.kind}) took longer than ${this.timeoutMs} ms`, true);
    }
    if (Atomics.load(this.ctl, p.STATUS) !== p.OK) throw new GpuError(this.replyText(), Atomics.load(this.ctl, p.LOST) === 1);
  }

  private fail(message: string, lost: boolean): never {
    if (lost) {
      this.dead ??= message;
      this.worker.terminate();
    }
    throw new GpuError(message, lost);
  }

  private replyText(): string {
    const n = Atomics.load(this.ctl, p.LENGTH);
    return new TextDecoder().decode(new Uint8Array(this.staging, 0, n).slice());
  }

  private ensureStaging(bytes: number): void {
    if (bytes <= this.staging.byteLength) return;
    this.staging = new SharedArrayBuffer(2 ** Math.ceil(Math.log2(bytes)));
    this.worker.post({ kind: 'staging', staging: this.staging });
  }
}
