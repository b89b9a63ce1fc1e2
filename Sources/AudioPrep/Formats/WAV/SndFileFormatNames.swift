internal import CSndFile

/// Maps libsndfile's `SF_FORMAT_*` codes to the container and codec names probe reports
/// (ffmpeg's vocabulary, so the output lines up with what ffprobe users know).
enum SndFileFormatNames {
    static func container(major: Int32) -> Container {
        switch Int(major) {
        case SF_FORMAT_WAV, SF_FORMAT_WAVEX: .wav
        case SF_FORMAT_RF64: .rf64
        case SF_FORMAT_W64: .w64
        case SF_FORMAT_AIFF: .aiff
        case SF_FORMAT_FLAC: .flac
        case SF_FORMAT_OGG: .ogg
        case SF_FORMAT_CAF: .caf
        case SF_FORMAT_AU: .au
        case SF_FORMAT_MPEG: .mp3
        default: Container(rawValue: "sndfile-\(String(major, radix: 16))")
        }
    }

    /// The codec name and bits per sample (nil for lossy or variable-size codecs).
    static func codec(major: Int32, subtype: Int32, endianness: Int32) -> (name: String, bits: Int?) {
        let bigEndian: Bool
        switch Int(endianness) {
        case SF_ENDIAN_BIG: bigEndian = true
        case SF_ENDIAN_LITTLE: bigEndian = false
        default:
            // The container's own byte order.
            bigEndian = [SF_FORMAT_AIFF, SF_FORMAT_AU].contains(Int(major))
        }
        let suffix = bigEndian ? "be" : "le"
        if Int(major) == SF_FORMAT_FLAC {
            switch Int(subtype) {
            case SF_FORMAT_PCM_S8: return ("flac", 8)
            case SF_FORMAT_PCM_16: return ("flac", 16)
            case SF_FORMAT_PCM_24: return ("flac", 24)
            default: return ("flac", nil)
            }
        }
        switch Int(subtype) {
        case SF_FORMAT_PCM_S8: return ("pcm_s8", 8)
        case SF_FORMAT_PCM_U8: return ("pcm_u8", 8)
        case SF_FORMAT_PCM_16: return ("pcm_s16\(suffix)", 16)
        case SF_FORMAT_PCM_24: return ("pcm_s24\(suffix)", 24)
        case SF_FORMAT_PCM_32: return ("pcm_s32\(suffix)", 32)
        case SF_FORMAT_FLOAT: return ("pcm_f32\(suffix)", 32)
        case SF_FORMAT_DOUBLE: return ("pcm_f64\(suffix)", 64)
        case SF_FORMAT_ULAW: return ("pcm_mulaw", 8)
        case SF_FORMAT_ALAW: return ("pcm_alaw", 8)
        case SF_FORMAT_IMA_ADPCM: return ("adpcm_ima", 4)
        case SF_FORMAT_MS_ADPCM: return ("adpcm_ms", 4)
        case SF_FORMAT_GSM610: return ("gsm", nil)
        case SF_FORMAT_G721_32: return ("adpcm_g726", 4)
        case SF_FORMAT_VORBIS: return ("vorbis", nil)
        case SF_FORMAT_OPUS: return ("opus", nil)
        case SF_FORMAT_ALAC_16: return ("alac", 16)
        case SF_FORMAT_ALAC_24: return ("alac", 24)
        case SF_FORMAT_MPEG_LAYER_III: return ("mp3", nil)
        default: return ("unknown-\(String(subtype, radix: 16))", nil)
        }
    }
}
