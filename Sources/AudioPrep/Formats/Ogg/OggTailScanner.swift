/// Finds the end of one logical stream by reading an Ogg link (`OggLink`, the whole file when it
/// is not chained) backwards from its end: the last intact page of the stream that carries a
/// granule position, the granule before it (to check that granules do not run backwards), and
/// whether the range ends inside a page.
///
/// Reads 64 KiB windows from the end; for an ordinary file one window suffices. Pages of other
/// serials (another stream of the link) are passed over; pages before `range` (an earlier link,
/// which may even share the serial) are never looked at.
struct OggTail: Sendable, Hashable {
    /// The stream's last intact page on which a packet ends (granule ≠ -1), if any.
    var lastPage: OggPage?
    /// The granule of the stream's page before `lastPage` that has one.
    var previousGranule: Int64?
    /// Bytes after the range's last intact page (of any stream): a page cut short or junk.
    var trailingBytes: Int64

    static func scan(_ file: BinaryFileReader, serial: UInt32, in range: Range<Int64>) throws(AudioPrepError) -> OggTail {
        var tail = OggTail(lastPage: nil, previousGranule: nil, trailingBytes: range.upperBound - range.lowerBound)
        var sawAnyPage = false
        let window: Int64 = 64 * 1024
        var windowEnd = range.upperBound
        while windowEnd > range.lowerBound {
            let windowStart = max(range.lowerBound, windowEnd - window)
            // Three bytes more, so that a capture pattern across the window's end is seen.
            let chunk = try file.bytes(at: windowStart, count: Int(windowEnd - windowStart) + 3)
            var i = chunk.count - 4
            while i >= 0 {
                defer { i -= 1 }
                guard chunk[i] == 0x4F, chunk[i + 1] == 0x67, chunk[i + 2] == 0x67, chunk[i + 3] == 0x53 else { continue }
                let offset = windowStart + Int64(i)
                guard offset < windowEnd, case .page(let page, _) = try OggPage.read(file, at: offset), page.end <= range.upperBound
                else { continue }
                if !sawAnyPage {
                    sawAnyPage = true
                    tail.trailingBytes = range.upperBound - page.end
                }
                guard page.serial == serial, page.granule != -1 else { continue }
                if let last = tail.lastPage {
                    // Only a page that ends before the last one counts (never a page inside it).
                    guard page.end <= last.offset else { continue }
                    tail.previousGranule = page.granule
                    return tail
                }
                tail.lastPage = page
            }
            windowEnd = windowStart
        }
        return tail
    }
}
