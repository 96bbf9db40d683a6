#ifndef GONGJI_CISAL_SHIM_H
#define GONGJI_CISAL_SHIM_H

// Intel's ISA-L (Debian's libisal-dev): igzip deflates the workbooks' parts
// (XLSXWriter, ZipArchive's Deflater), crc32_gzip_refl is zlib's CRC-32.
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

// The level buffer igzip's level 1 is given: its suggested size, a macro
// Swift cannot import.
static inline unsigned int gongji_isal_level1_buffer_size(void) { return ISAL_DEF_LVL1_DEFAULT; }

#endif
