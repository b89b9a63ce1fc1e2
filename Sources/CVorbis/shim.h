#ifndef CVORBIS_SHIM_H
#define CVORBIS_SHIM_H

// libvorbis's decoding API (vorbis_synthesis_*); its ogg_packet type comes from <ogg/ogg.h>.
// callprep parses the Ogg pages itself and hands libvorbis whole packets, so no libogg
// function is called.
#include <vorbis/codec.h>

#endif
