// Allocation for tensors and scratch buffers. TLSF from AssemblyScript's
// `minimal` runtime: 16-byte aligned blocks, real free, grows memory on demand.
// Only the main instance allocates; future worker instances compute on raw
// pointers handed to them (the allocator is not thread-safe).

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes < 16 ? 16 : bytes);
}

export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Current size of linear memory in bytes (as f64: may be 4 GiB). */
export function memory_bytes(): f64 {
  return <f64>memory.size() * 65536.0;
}
