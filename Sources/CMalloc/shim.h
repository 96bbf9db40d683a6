#ifndef GONGJI_CMALLOC_SHIM_H
#define GONGJI_CMALLOC_SHIM_H

// glibc's mallopt, for the command line's memory setting (Sources/gongji/main.swift).
#include <malloc.h>

// M_MMAP_THRESHOLD as a constant Swift imports (the macro is a negative literal).
static const int gongji_mmap_threshold = M_MMAP_THRESHOLD;

#endif
