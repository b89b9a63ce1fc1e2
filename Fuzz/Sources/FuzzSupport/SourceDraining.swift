@testable import AudioPrep

/// Reads a source to its end (or `frameLimit` frames), the way a merge pulls it, and checks
/// the PCMSource contract on the way: no read returns more than asked, and a source that
/// states its length delivers exactly that many frames.
public enum SourceDraining {
    /// Enough to cross every block, packet and frame boundary of the seed files, few enough
    /// that a header claiming hours of audio cannot make one input take seconds.
    public static let defaultFrameLimit = 1 << 20

    /// Returns the frames read. Traps (a finding) when the source breaks its contract.
    @discardableResult
    public static func drain(_ source: any PCMSource, frameLimit: Int = defaultFrameLimit) throws(AudioPrepError) -> Int {
        let channels = source.format.channels
        precondition(channels >= 1, "fuzz: source with \(channels) channels")
        let chunkFrames = 4096
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunkFrames * channels)
        defer { buffer.deallocate() }
        var total = 0
        while total < frameLimit {
            let n = try source.read(into: buffer)
            precondition(n >= 0 && n <= chunkFrames, "fuzz: read returned \(n) frames for a \(chunkFrames)-frame buffer")
            if n == 0 { break }
            total += n
        }
        if LengthCheck.enabled, total < frameLimit, let stated = source.frameCount {
            precondition(stated == Int64(total), "fuzz: source states \(stated) frames but delivered \(total)")
        }
        return total
    }
}
