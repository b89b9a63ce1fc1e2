#ifndef CFAAD_SHIM_H
#define CFAAD_SHIM_H

/* libfaad2 (GPL-2.0-or-later). Only built when the package trait `AAC` is enabled. */
#include <neaacdec.h>

#endif
