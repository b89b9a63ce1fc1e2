#ifndef CSNDFILE_SHIM_H
#define CSNDFILE_SHIM_H

#include <sndfile.h>
#include <stdint.h>

// libsndfile declares its modes, commands and format codes in anonymous C enums, which Swift
// imports as `Int`, while `sf_open`/`sf_command` take `int`. These typed constants spare every
// call site a cast. `SF_COUNT_MAX` is a macro Swift cannot import at all.

static const int csndfile_SFM_READ = SFM_READ;
static const int csndfile_SFM_WRITE = SFM_WRITE;

static const int csndfile_SFC_GET_LIB_VERSION = SFC_GET_LIB_VERSION;
static const int csndfile_SFC_GET_LOG_INFO = SFC_GET_LOG_INFO;
static const int csndfile_SFC_SET_CLIPPING = SFC_SET_CLIPPING;
static const int csndfile_SFC_SET_NORM_FLOAT = SFC_SET_NORM_FLOAT;
static const int csndfile_SFC_SET_SCALE_FLOAT_INT_READ = SFC_SET_SCALE_FLOAT_INT_READ;
static const int csndfile_SFC_GET_BITRATE_MODE = SFC_GET_BITRATE_MODE;
static const int csndfile_SFC_SET_COMPRESSION_LEVEL = SFC_SET_COMPRESSION_LEVEL;

static const int csndfile_SF_FORMAT_TYPEMASK = SF_FORMAT_TYPEMASK;
static const int csndfile_SF_FORMAT_SUBMASK = SF_FORMAT_SUBMASK;
static const int csndfile_SF_FORMAT_ENDMASK = SF_FORMAT_ENDMASK;

static const int64_t csndfile_SF_COUNT_MAX = SF_COUNT_MAX;

#endif
