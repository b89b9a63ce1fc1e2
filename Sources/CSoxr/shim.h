#ifndef CSOXR_SHIM_H
#define CSOXR_SHIM_H

#include <soxr.h>

// soxr's quality recipes and flags are macros that expand to expressions Swift cannot import.
static const unsigned long csoxr_HQ = SOXR_HQ;
static const unsigned long csoxr_VHQ = SOXR_VHQ;
static const unsigned long csoxr_LINEAR_PHASE = SOXR_LINEAR_PHASE;
static const unsigned long csoxr_NO_DITHER = SOXR_NO_DITHER;

#endif
