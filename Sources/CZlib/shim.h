#ifndef GONGJI_CZLIB_SHIM_H
#define GONGJI_CZLIB_SHIM_H

// zlib (Debian's zlib1g-dev), for the workbook's deflated parts (XLSXWriter).
#include <zlib.h>

#endif
