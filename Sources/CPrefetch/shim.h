#ifndef GONGJI_CPREFETCH_SHIM_H
#define GONGJI_CPREFETCH_SHIM_H

// A hint to bring the cache line at `address` in, for reading (AccountLedger.close).
// It never faults and never changes memory; Swift has no spelling of its own for it.
static inline void gongji_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
