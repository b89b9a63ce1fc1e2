/// Several streams of one file delivered one after the other as one source: the links of a
/// chained Ogg file, FLAC streams joined with `cat`.
///
/// Each part is opened only when the one before it has ended (one decoder at a time, constant
/// memory) and must have this source's format; each part is held to its own `frameCount`, so the
/// whole delivers exactly the sum.
final class ConcatenatedPCMSource: PCMSource {
    /// One stream: how many frames it delivers and how to open it.
    struct Part {
        var frames: Int64
        var open: () throws(AudioPrepError) -> any PCMSource
    }

    let format: PCMFormat
    let frameCount: Int64?
    private let path: String
    private let parts: [Part]
    private var index = 0
    private var current: (any PCMSource)?
    private var deliveredInPart: Int64 = 0

    /// `parts`' frame counts must sum without overflow (the readers check them against
    /// `AudioLimits` first).
    init(format: PCMFormat, parts: [Part], path: String) {
        self.format = format
        self.parts = parts
        self.path = path
        frameCount = parts.reduce(Int64(0)) { $0 + $1.frames }
    }

    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        guard buffer.count >= format.channels else { return 0 }
        while index < parts.count {
            let part = parts[index]
            let wanted = Int(min(Int64(buffer.count / format.channels), part.frames - deliveredInPart))
            if wanted > 0 {
                let source: any PCMSource
                if let current {
                    source = current
                } else {
                    source = try part.open()
                    guard source.format == format else {
                        throw AudioPrepError(
                            .decodeFailed, path: path,
                            "stream \(index + 1) of the file decodes as \(source.format.channels) channels at \(source.format.sampleRate) Hz, not as its header said; the file is damaged. Re-export it.")
                    }
                    current = source
                }
                let n = try source.read(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<(wanted * format.channels)]))
                if n > 0 {
                    deliveredInPart += Int64(n)
                    return n
                }
                throw AudioPrepError(
                    .decodeFailed, path: path,
                    "stream \(index + 1) of the file ends after \(deliveredInPart) of its \(part.frames) frames; the file is damaged. Re-export or re-download it.")
            }
            // This part is complete: release its decoder before opening the next.
            current = nil
            index += 1
            deliveredInPart = 0
        }
        return 0
    }
}
