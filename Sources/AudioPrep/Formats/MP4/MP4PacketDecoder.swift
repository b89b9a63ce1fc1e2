/// A decoder for the packets of one MP4 audio track: AAC (libfaad2, only with the `AAC` trait)
/// or Opus (libopus). `MP4AudioSource` places each packet's output at the packet's decode time.
protocol MP4PacketDecoder: AnyObject {
    /// Decodes `packet`, appends its interleaved samples to `samples`, returns its frame count
    /// (0 is possible while a decoder fills its delay).
    func decode(_ packet: [UInt8], appendingTo samples: inout [Float]) throws(AudioPrepError) -> Int
}

extension OpusPacketDecoder: MP4PacketDecoder {}
#if AAC
extension AACPacketDecoder: MP4PacketDecoder {}
#endif

extension MP4Reader {
    /// The decoder for the reader's track, set up from its sample description; throws
    /// `unsupportedFormat` with a remedy for codecs callprep does not decode in MP4.
    func makeDecoder() throws(AudioPrepError) -> any MP4PacketDecoder {
        let entry = track.sampleEntry
        switch info.codec {
        case "aac":
            #if AAC
            guard let config = entry?.audioSpecificConfig else { break }
            return try AACPacketDecoder(config: config, expectedRate: info.sampleRate, expectedChannels: info.channels, path: path)
            #else
            throw MP4Probe.aacDecodingUnavailable(path: path)
            #endif
        case "opus":
            guard let opus = entry?.opus else { break }
            return try OpusPacketDecoder(head: try OpusHead(opus.opusHead, path: path), path: path)
        default:
            break
        }
        throw AudioPrepError(
            .unsupportedFormat, path: path,
            "holds \(info.codec) audio (\(info.channels) channel(s) at \(info.sampleRate) Hz) in MP4, which callprep does not decode; it decodes Opus in MP4, and AAC in builds with the AAC trait. Convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
    }
}
