/// Sums the sample durations of one track across the `moof` fragments of a fragmented MP4
/// (`tfhd`, `tfdt`, `trun`), without reading any media data.
struct MP4FragmentScanner {
    /// The track's fragments on its media timeline (media timescale units).
    struct Result: Sendable, Hashable {
        /// The decode time of the first fragment (`tfdt`), or 0 without `tfdt`.
        var start: Int64 = 0
        /// The end of the last sample.
        var end: Int64 = 0
        var samples: Int64 = 0
        var fragments: Int64 = 0
        /// Fragments whose `tfdt` starts after the previous fragment's end (missing media).
        var gaps: Int64 = 0
        var gapDuration: Int64 = 0
    }

    /// More samples than this in one track (≈ 18 days of 48 kHz AAC) is treated as damage.
    static let sampleLimit: Int64 = 1 << 31

    let boxes: MP4BoxReader
    private var file: ContainerByteReader { boxes.file }

    func scan(trackID: UInt32, defaultDuration: UInt32) throws(AudioPrepError) -> Result {
        var result = Result()
        var first = true
        try boxes.forEachBox(from: 0, to: file.size) { (box) throws(AudioPrepError) in
            guard box.type == "moof" else { return }
            try boxes.forEachChild(of: box) { (traf) throws(AudioPrepError) in
                guard traf.type == "traf" else { return }
                try scanTrackFragment(traf, trackID: trackID, defaultDuration: defaultDuration, result: &result, first: &first)
            }
        }
        return result
    }

    private func scanTrackFragment(_ traf: MP4BoxHeader, trackID: UInt32, defaultDuration: UInt32, result: inout Result, first: inout Bool) throws(AudioPrepError) {
        var matches = false
        var duration = defaultDuration
        var baseTime: Int64?
        var total: Int64 = 0
        var samples: Int64 = 0
        try boxes.forEachChild(of: traf) { (box) throws(AudioPrepError) in
            guard ["tfhd", "tfdt", "trun"].contains(box.type) else { return }
            let payload = try boxes.payload(box)
            var cursor = ByteCursor(payload)
            do throws(ByteCursor.Overrun) {
                let version = try cursor.uint8()
                let flags = UInt32(try cursor.bigEndian(3))
                switch box.type {
                case "tfhd":
                    matches = try cursor.uint32BE() == trackID
                    if flags & 0x01 != 0 { try cursor.skip(8) }
                    if flags & 0x02 != 0 { try cursor.skip(4) }
                    if flags & 0x08 != 0 { duration = try cursor.uint32BE() }
                case "tfdt":
                    let time = try cursor.bigEndian(version == 1 ? 8 : 4)
                    guard time < UInt64(1) << 48 else { throw ByteCursor.Overrun() }
                    baseTime = Int64(time)
                default:  // trun
                    guard matches else { return }
                    let count = Int64(try cursor.uint32BE())
                    if flags & 0x01 != 0 { try cursor.skip(4) }
                    if flags & 0x04 != 0 { try cursor.skip(4) }
                    let perSample = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count * 4
                    if perSample > 0 {
                        guard count <= Int64(cursor.remaining / perSample) else { throw ByteCursor.Overrun() }
                    }
                    guard samples + count <= Self.sampleLimit else { throw ByteCursor.Overrun() }
                    samples += count
                    if flags & 0x100 != 0 {
                        for _ in 0..<count {
                            total += Int64(try cursor.uint32BE())
                            try cursor.skip(perSample - 4)
                        }
                    } else {
                        total += count * Int64(duration)  // ≤ 2^31 × 2^32: no overflow
                    }
                    guard total < MP4SampleTable.durationLimit else { throw ByteCursor.Overrun() }
                }
            } catch {
                throw file.corrupt("the fragment box '\(box.type)' at byte \(box.offset) is damaged or lists more samples than it holds")
            }
        }
        guard matches, samples > 0 else { return }
        let start = baseTime ?? result.end
        if first {
            result.start = start
            result.end = start
            first = false
        } else if start > result.end {
            result.gaps += 1
            result.gapDuration += start - result.end
        }
        result.end = max(result.end, start + total)
        result.samples += samples
        result.fragments += 1
        guard result.samples <= Self.sampleLimit, result.end < Int64(1) << 50 else {
            throw file.corrupt("the fragments list more samples than any real recording holds")
        }
    }
}
