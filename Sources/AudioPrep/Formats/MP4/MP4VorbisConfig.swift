/// The Vorbis headers of a Vorbis-in-MP4 track (`esds` object type 0xDD, as ffmpeg writes it):
/// the decoder-specific info holds the identification, comment and setup headers, joined with
/// Xiph lacing. callprep does not decode Vorbis in MP4; it reads the identification header so
/// that probe reports the stream's real channel count and rate.
struct MP4VorbisConfig: Sendable, Hashable {
    var sampleRate: Int
    var channels: Int

    /// Unlaces `bytes` (a count byte, then 255-continued sizes of all but the last header) and
    /// reads the first header. Returns nil when the lacing is damaged or the first header is not
    /// a Vorbis identification header; throws when that header declares impossible numbers.
    init?(xiphLacedHeaders bytes: [UInt8], path: String) throws(AudioPrepError) {
        guard let count = bytes.first, count >= 1 else { return nil }
        var position = 1
        var firstSize = 0
        // Only the first header's size matters; each lacing value is at most 255, so the sum
        // stays below the payload size.
        while position < bytes.count {
            let value = Int(bytes[position])
            firstSize += value
            position += 1
            if value < 255 { break }
        }
        // The other headers' sizes follow the first's; skip them to reach the data.
        for _ in 1..<Int(count) {
            while position < bytes.count, bytes[position] == 255 { position += 1 }
            position += 1
        }
        guard firstSize >= 7, position < bytes.count, firstSize <= bytes.count - position else { return nil }
        let identification = Array(bytes[position..<(position + firstSize)])
        guard identification.starts(with: [0x01] + Array("vorbis".utf8)) else { return nil }
        (sampleRate, channels) = try OggCodecSetup.vorbisFacts(identification, path: path)
    }
}
