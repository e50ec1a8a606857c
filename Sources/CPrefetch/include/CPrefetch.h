// CPU hints for the GEMM micro-kernel and the worker pool: Swift has no spelling for them, and these
// inline to one instruction each (prefetcht0 / prefetchw / pause).
#ifndef CPREFETCH_H
#define CPREFETCH_H
static inline void jf_prefetch_read(const void *p) { __builtin_prefetch(p, 0, 3); }
static inline void jf_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }
/// A spin-wait hint: lets the core slow down while a thread polls a flag another core will set.
static inline void jf_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif
