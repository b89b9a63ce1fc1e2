/// Decoded audio waiting to be delivered: first a run of silence (a gap before the next block or
/// packet of a timestamped source), then interleaved samples.
///
/// The Matroska and MP4 sources decode one block or packet at a time into this queue and drain
/// it into the caller's buffer, so neither holds more than one block of audio; the FLAC decoder
/// keeps here the part of a frame that did not fit the caller's buffer.
struct PendingPCM {
    let channels: Int
    /// Frames of digital silence to deliver before `samples`.
    var silenceFrames: Int64 = 0
    /// Interleaved samples; those before `index` have been delivered.
    var samples: [Float] = []
    /// The next sample (not frame) of `samples` to deliver.
    var index = 0

    init(channels: Int) {
        self.channels = channels
    }

    /// Starts a new block: drops what was delivered, keeping the storage.
    mutating func resetSamples() {
        samples.removeAll(keepingCapacity: true)
        index = 0
    }

    /// Copies up to `capacity` frames (silence first) to `destination`; returns how many. Fewer
    /// than `capacity` means the queue is now empty.
    mutating func drain(into destination: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
        var written = 0
        if silenceFrames > 0 {
            let n = Int(min(silenceFrames, Int64(capacity)))
            destination.update(repeating: 0, count: n * channels)
            silenceFrames -= Int64(n)
            written = n
        }
        let available = (samples.count - index) / channels
        let n = min(available, capacity - written)
        if n > 0 {
            samples.withUnsafeBufferPointer { source in
                destination.advanced(by: written * channels)
                    .update(from: source.baseAddress!.advanced(by: index), count: n * channels)
            }
            index += n * channels
            written += n
        }
        return written
    }
}
