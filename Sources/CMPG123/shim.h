#ifndef CMPG123_SHIM_H
#define CMPG123_SHIM_H

#include <mpg123.h>

// mpg123's flag values live in C enums that Swift imports as UInt32/Int32 struct wrappers;
// these constants keep call sites free of casts.
static const long cmpg123_GAPLESS = MPG123_GAPLESS;
static const long cmpg123_FORCE_FLOAT = MPG123_FORCE_FLOAT;
static const long cmpg123_QUIET = MPG123_QUIET;
static const long cmpg123_NO_FRANKENSTEIN = MPG123_NO_FRANKENSTEIN;
static const long cmpg123_AUTO_RESAMPLE = MPG123_AUTO_RESAMPLE;
static const int cmpg123_ENC_FLOAT_32 = MPG123_ENC_FLOAT_32;
static const int cmpg123_OK = MPG123_OK;
static const int cmpg123_DONE = MPG123_DONE;
static const int cmpg123_NEW_FORMAT = MPG123_NEW_FORMAT;
static const int cmpg123_NEED_MORE = MPG123_NEED_MORE;
static const int cmpg123_BAD_OUTFORMAT = MPG123_BAD_OUTFORMAT;
static const int cmpg123_RESYNC_LIMIT = MPG123_RESYNC_LIMIT;

#endif
