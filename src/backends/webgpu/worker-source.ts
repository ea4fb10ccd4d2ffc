// The GPU worker's program, kept as a string like the wasm pool's
// (src/backends/wasm/worker-source.ts) so no extra file has to sit next to
// the bundle. Plain JavaScript, never transpiled. The host passes in the two
// parts that differ between runtimes: how messages arrive (worker_threads'
// parentPort or self.onmessage) and how to get a GPU object (the npm package
// `webgpu` in Node, navigator.gpu in a browser worker).
//
// The worker owns the device and every GPU buffer (by the id the main thread
// chose); it runs jobs one at a time in the order they arrive and answers
// waited-for jobs through the control block (protocol.ts).
import * as p from './protocol';

export function gpuWorkerSource(listen: string, acquire: string): string {
  return `
'use strict';
const DONE = ${p.DONE}, STATUS = ${p.STATUS}, LENGTH = ${p.LENGTH}, LOST = ${p.LOST};
const OK = ${p.OK}, FAILED = ${p.FAILED};
const STORAGE = ${p.USAGE_STORAGE | p.USAGE_COPY_SRC | p.USAGE_COPY_DST};
const READBACK = ${p.USAGE_MAP_READ | p.USAGE_COPY_DST};
const UNIFORM = ${p.USAGE_UNIFORM | p.USAGE_COPY_DST};
const MAP_READ = ${p.MAP_READ};
const listen = ${listen};
const acquire = ${acquire};
// gpu and adapter are kept: if Dawn's instance were collected, the device's callbacks would crash.
let ctl = null, staging = null, gpu = null, adapter = null, device = null, lost = false;
const buffers = new Map();
const pipelines = new Map();
const pad = (bytes) => Math.max(16, Math.ceil(bytes / 16) * 16);

function reply(seq, status, bytes) {
  Atomics.store(ctl, STATUS, status);
  Atomics.store(ctl, LENGTH, bytes);
  Atomics.store(ctl, DONE, seq);
  Atomics.notify(ctl, DONE);
}
function replyText(seq, status, text) {
  const bytes = new TextEncoder().encode(text);
  const n = Math.min(bytes.length, staging.byteLength);
  new Uint8Array(staging, 0, n).set(bytes.subarray(0, n));
  reply(seq, status, n);
}

// Errors a job caused: out-of-memory and validation (a bad shader or binding).
async function scoped(fn) {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let thrown = null;
  try { await fn(); } catch (e) { thrown = e; }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (thrown) throw thrown;
  if (oom) throw new Error('out of GPU memory: ' + oom.message);
  if (validation) throw new Error(validation.message);
}

async function pipeline(key, code) {
  let entry = pipelines.get(key);
  if (!entry) {
    if (code === null) throw new Error('no WGSL for pipeline ' + key);
    entry = (async () => {
      const module = device.createShaderModule({ code });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length) throw new Error('WGSL compile error in ' + key + ': ' + errors.map((m) => m.lineNum + ':' + m.linePos + ' ' + m.message).join('; '));
      return device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    })();
    pipelines.set(key, entry);
    entry.catch(() => pipelines.delete(key));
  }
  return entry;
}

async function init(job) {
  ctl = new Int32Array(job.control);
  staging = job.staging;
  gpu = await acquire(job.module);
  if (!gpu) throw new Error('this runtime has no WebGPU');
  adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter found (no GPU driver; on Linux without a GPU see README "WebGPU" for SwiftShader)');
  const lim = adapter.limits;
  device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize, maxBufferSize: lim.maxBufferSize },
  });
  device.lost.then(() => { lost = true; Atomics.store(ctl, LOST, 1); });
  const i = adapter.info || {};
  return JSON.stringify({
    vendor: i.vendor || '', architecture: i.architecture || '', device: i.device || '', description: i.description || '',
    isFallbackAdapter: Boolean(i.isFallbackAdapter || adapter.isFallbackAdapter),
    maxBufferSize: Number(lim.maxBufferSize), maxStorageBufferBindingSize: Number(lim.maxStorageBufferBindingSize),
  });
}

// A lost device accepts work silently and computes nothing: check before and after.
function checkLost() {
  if (lost) { Atomics.store(ctl, LOST, 1); throw new Error('the GPU device was lost'); }
}

async function run(job) {
  checkLost();
  const pipe = await pipeline(job.key, job.code);
  const created = [];
  try {
    await scoped(async () => {
      const entries = [];
      for (const id of job.inputs) {
        const buffer = buffers.get(id);
        if (!buffer) throw new Error('GPU buffer ' + id + ' is missing (its upload failed)');
        entries.push({ binding: entries.length, resource: { buffer } });
      }
      for (const o of job.outputs) {
        // An output that exists already is written in place (one GEMM per batch matrix).
        let buffer = buffers.get(o.id);
        if (!buffer) {
          buffer = device.createBuffer({ size: pad(o.bytes), usage: STORAGE });
          created.push([o.id, buffer]);
        }
        entries.push({ binding: entries.length, resource: { buffer } });
      }
      const uniforms = device.createBuffer({ size: pad(job.uniforms.byteLength), usage: UNIFORM });
      device.queue.writeBuffer(uniforms, 0, new Uint8Array(job.uniforms));
      entries.push({ binding: entries.length, resource: { buffer: uniforms } });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries }));
      pass.dispatchWorkgroups(job.groups[0], job.groups[1], job.groups[2]);
      pass.end();
      device.queue.submit([encoder.finish()]);
      uniforms.destroy();
    });
  } catch (e) {
    for (const [, b] of created) b.destroy();
    throw e;
  }
  checkLost();
  for (const [id, b] of created) buffers.set(id, b);
}

async function download(job, into = staging, at = 0) {
  checkLost();
  const source = buffers.get(job.id);
  if (!source) throw new Error('GPU buffer ' + job.id + ' is missing');
  const size = Math.ceil(job.bytes / 4) * 4;
  const readback = device.createBuffer({ size, usage: READBACK });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, readback, 0, size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(MAP_READ);
    new Uint8Array(into, at, job.bytes).set(new Uint8Array(readback.getMappedRange(), 0, job.bytes));
    readback.unmap();
  } finally {
    readback.destroy();
  }
}

async function handle(job) {
  switch (job.kind) {
    case 'init': return replyText(job.seq, OK, await init(job));
    case 'staging': staging = job.staging; return;
    case 'upload': {
      // An upload is not waited for: if it fails, the buffer is simply absent
      // and the run that needs it fails (the main thread still has the data).
      try {
        await scoped(async () => {
          const buffer = device.createBuffer({ size: pad(job.data.byteLength), usage: STORAGE });
          device.queue.writeBuffer(buffer, 0, new Uint8Array(job.data));
          buffers.set(job.id, buffer);
        });
      } catch { buffers.get(job.id)?.destroy(); buffers.delete(job.id); }
      return;
    }
    case 'free': buffers.get(job.id)?.destroy(); buffers.delete(job.id); return;
    case 'download': await download(job); return reply(job.seq, OK, job.bytes);
    case 'readAsync': {
      const flags = new Int32Array(job.target, 0, 2);
      let status = OK;
      try { await download(job, job.target, ${p.ASYNC_HEADER}); } catch { status = FAILED; }
      Atomics.store(flags, 1, status);
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      return;
    }
    case 'run': await run(job); return reply(job.seq, OK, 0);
    case 'stats': {
      let bytes = 0;
      for (const b of buffers.values()) bytes += b.size;
      return replyText(job.seq, OK, JSON.stringify({ buffers: buffers.size, bytes }));
    }
    case 'destroy': device.destroy(); lost = true; Atomics.store(ctl, LOST, 1); return reply(job.seq, OK, 0);
  }
}

// An error no job caught: report the device lost so the waiting thread stops
// waiting now (it is blocked and cannot see the worker's exit event).
const die = () => { if (ctl) { lost = true; Atomics.store(ctl, LOST, 1); Atomics.notify(ctl, DONE); } };
if (typeof process !== 'undefined' && typeof process.on === 'function') {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
} else if (typeof self !== 'undefined') {
  self.addEventListener('error', die);
  self.addEventListener('unhandledrejection', die);
}

let queue = Promise.resolve();
listen((job) => {
  queue = queue.then(() => handle(job)).catch((e) => {
    if (job.seq && ctl) replyText(job.seq, FAILED, String((e && e.message) || e));
  });
});
`;
}
