internal import CVorbis

/// Decodes Vorbis packets to interleaved Float32 with libvorbis (BSD licence).
///
/// The three header packets set the decoder up (`vorbis_synthesis_headerin`); then each audio
/// packet goes through `vorbis_synthesis`, `vorbis_synthesis_blockin` and
/// `vorbis_synthesis_pcmout`/`vorbis_synthesis_read`. The container (Ogg) is parsed by callprep;
/// libvorbis sees only whole packets. The first audio packet yields no samples (Vorbis overlaps
/// each block with the next), so a stream decodes to at most its last granule plus the tail the
/// container trims.
final class VorbisPacketDecoder {
    private(set) var sampleRate = 0
    private(set) var channels = 0
    private let path: String
    private let vorbisInfo = UnsafeMutablePointer<vorbis_info>.allocate(capacity: 1)
    private let comment = UnsafeMutablePointer<vorbis_comment>.allocate(capacity: 1)
    private let dsp = UnsafeMutablePointer<vorbis_dsp_state>.allocate(capacity: 1)
    private let block = UnsafeMutablePointer<vorbis_block>.allocate(capacity: 1)
    private var packetNumber: Int64 = 0
    private var dspReady = false

    /// Sets libvorbis up from the identification, comment and setup headers. Throws
    /// `.corruptFile` when libvorbis refuses one of them.
    init(headers: [[UInt8]], path: String) throws(AudioPrepError) {
        self.path = path
        vorbis_info_init(vorbisInfo)
        vorbis_comment_init(comment)
        func refuse(_ what: String) -> AudioPrepError {
            AudioPrepError(.corruptFile, path: path, "libvorbis refused the Vorbis \(what); the file is damaged. Re-export or re-download it.")
        }
        guard headers.count == 3 else { throw refuse("headers (there are not three)") }
        for (index, header) in headers.enumerated() {
            let status = Self.withPacket(header, number: Int64(index), first: index == 0) { packet in
                vorbis_synthesis_headerin(vorbisInfo, comment, packet)
            }
            guard status == 0 else { throw refuse(["identification header", "comment header", "setup header"][index]) }
        }
        sampleRate = Int(vorbisInfo.pointee.rate)
        channels = Int(vorbisInfo.pointee.channels)
        packetNumber = 3
        guard vorbis_synthesis_init(dsp, vorbisInfo) == 0 else { throw refuse("setup") }
        dspReady = true
        vorbis_block_init(dsp, block)
    }

    deinit {
        if dspReady {
            vorbis_block_clear(block)
            vorbis_dsp_clear(dsp)
        }
        vorbis_comment_clear(comment)
        vorbis_info_clear(vorbisInfo)
        vorbisInfo.deallocate()
        comment.deallocate()
        dsp.deallocate()
        block.deallocate()
    }

    /// Decodes one audio packet and appends the samples it completes to `samples`; returns how
    /// many frames that is. A packet libvorbis cannot decode contributes nothing (as in
    /// libvorbis's own players), so damage costs only its own audio.
    func decode(_ packet: [UInt8], appendingTo samples: inout [Float]) throws(AudioPrepError) -> Int {
        let number = packetNumber
        packetNumber += 1
        let status = Self.withPacket(packet, number: number, first: false) { packet in
            vorbis_synthesis(block, packet)
        }
        guard status == 0 else { return 0 }
        vorbis_synthesis_blockin(dsp, block)
        var total = 0
        var pcm: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>?
        while true {
            let available = Int(vorbis_synthesis_pcmout(dsp, &pcm))
            guard available > 0, let planes = pcm else { break }
            let start = samples.count
            samples.append(contentsOf: repeatElement(0, count: available * channels))
            samples.withUnsafeMutableBufferPointer { out in
                for channel in 0..<channels {
                    guard let plane = planes[channel] else { continue }
                    for i in 0..<available {
                        out[start + i * channels + channel] = plane[i]
                    }
                }
            }
            vorbis_synthesis_read(dsp, Int32(available))
            total += available
        }
        return total
    }

    private static func withPacket(_ bytes: [UInt8], number: Int64, first: Bool, _ body: (UnsafeMutablePointer<ogg_packet>) -> Int32) -> Int32 {
        var copy = bytes
        return copy.withUnsafeMutableBufferPointer { buffer in
            var packet = ogg_packet(
                packet: buffer.baseAddress, bytes: buffer.count, b_o_s: first ? 1 : 0, e_o_s: 0,
                granulepos: -1, packetno: number)
            return body(&packet)
        }
    }
}
