#ifndef GONGJI_CXLSXWRITER_SHIM_H
#define GONGJI_CXLSXWRITER_SHIM_H

// libxlsxwriter (Debian's libxlsxwriter-dev), for usage-YYYY-MM.xlsx.
#include <xlsxwriter.h>

#endif
