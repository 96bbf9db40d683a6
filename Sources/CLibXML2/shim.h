#ifndef GONGJI_CLIBXML2_SHIM_H
#define GONGJI_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, whose headers clash with Foundation's own
// copy of ICU. We never use libxml2's ICU entry points, so hide them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/// Swift 6 rejects the mutable global `xmlFree`; call it through a function.
static inline void gongji_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
