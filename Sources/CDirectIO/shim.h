#ifndef GONGJI_CDIRECTIO_SHIM_H
#define GONGJI_CDIRECTIO_SHIM_H

// O_DIRECT, for the large reports' writes (AtomicFile.Stream): Swift's Glibc
// module leaves it out (it is behind _GNU_SOURCE), and its value differs
// between architectures. 0 where the system has none (macOS).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>

static inline int gongji_o_direct(void) {
#ifdef O_DIRECT
    return O_DIRECT;
#else
    return 0;
#endif
}

#endif
