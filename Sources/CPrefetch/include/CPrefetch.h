// Prefetch hints for the GEMM micro-kernel: Swift has no spelling for them, and these inline to one
// instruction each (prefetcht0 / prefetchw).
#ifndef CPREFETCH_H
#define CPREFETCH_H
static inline void jf_prefetch_read(const void *p) { __builtin_prefetch(p, 0, 3); }
static inline void jf_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }
#endif
