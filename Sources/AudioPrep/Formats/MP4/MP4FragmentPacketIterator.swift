/// Walks the `moof` fragments of a fragmented MP4 in file order and yields one track's samples
/// (file position, size, decode time, duration) from `tfhd`, `tfdt` and `trun` — the fragmented
/// counterpart of `MP4SampleTable.Iterator`. `MP4SampleSequence` chains the two, for both the
/// length scan and the decoder.
///
/// Only one `moof` is held at a time: its runs for the track are expanded when it is reached,
/// and every list is bounded by the size of the box it came from, so memory stays constant
/// whatever the file's length and no count in the file sizes an allocation.
struct MP4FragmentPacketIterator {
    typealias Sample = MP4SampleTable.Sample

    /// More samples than this in one track (≈ 18 days of 48 kHz AAC) is treated as damage.
    static let sampleLimit: Int64 = 1 << 31

    private let boxes: MP4BoxReader
    private let trackID: UInt32
    private let trexDuration: UInt32
    private let trexSize: UInt32
    /// Where the next top-level box starts.
    private var nextBox: Int64 = 0
    /// The samples of the current `moof`, and the next to hand out.
    private var queued: [Sample] = []
    private var queueIndex = 0
    /// The end of the previous fragment's samples, for fragments without `tfdt`.
    private var decodeEnd: Int64 = 0
    private var samplesSeen: Int64 = 0
    private var file: ContainerByteReader { boxes.file }

    init(file: ContainerByteReader, trackID: UInt32, defaultDuration: UInt32, defaultSize: UInt32, startTime: Int64) {
        self.boxes = MP4BoxReader(file: file)
        self.trackID = trackID
        self.trexDuration = defaultDuration
        self.trexSize = defaultSize
        self.decodeEnd = startTime
    }

    /// The next sample of the track, or nil after the last fragment.
    mutating func next() throws(AudioPrepError) -> Sample? {
        while queueIndex >= queued.count {
            guard file.size - nextBox >= 8 else { return nil }
            let box = try boxes.header(at: nextBox, parentEnd: file.size, allowingCut: true)
            nextBox = box.end
            // A fragment cut by the end of the file is not read (its samples' bytes are missing).
            guard box.type == "moof", box.missingBytes == 0 else { continue }
            queued.removeAll(keepingCapacity: true)
            queueIndex = 0
            var dataEnd = box.offset
            try boxes.forEachChild(of: box) { (traf) throws(AudioPrepError) in
                guard traf.type == "traf" else { return }
                try readTrackFragment(traf, moof: box, previousDataEnd: &dataEnd)
            }
        }
        defer { queueIndex += 1 }
        return queued[queueIndex]
    }

    /// Appends the samples of one `traf` (when it is this track's) to `queued`.
    private mutating func readTrackFragment(_ traf: MP4BoxHeader, moof: MP4BoxHeader, previousDataEnd: inout Int64) throws(AudioPrepError) {
        var matches = false
        var baseOffset = previousDataEnd
        var duration = trexDuration
        var size = trexSize
        var time = decodeEnd
        var dataCursor: Int64? = nil
        try boxes.forEachChild(of: traf) { (box) throws(AudioPrepError) in
            guard ["tfhd", "tfdt", "trun"].contains(box.type) else { return }
            var cursor = ByteCursor(try boxes.payload(box))
            do throws(ByteCursor.Overrun) {
                let version = try cursor.uint8()
                let flags = UInt32(try cursor.bigEndian(3))
                switch box.type {
                case "tfhd":
                    matches = try cursor.uint32BE() == trackID
                    if flags & 0x01 != 0 {
                        let base = try cursor.uint64BE()
                        guard base < UInt64(file.size) else { throw ByteCursor.Overrun() }
                        baseOffset = Int64(base)
                    } else if flags & 0x2_0000 != 0 {
                        baseOffset = moof.offset  // default-base-is-moof
                    }
                    if flags & 0x02 != 0 { try cursor.skip(4) }
                    if flags & 0x08 != 0 { duration = try cursor.uint32BE() }
                    if flags & 0x10 != 0 { size = try cursor.uint32BE() }
                case "tfdt":
                    let base = try cursor.bigEndian(version == 1 ? 8 : 4)
                    guard base < UInt64(1) << 48 else { throw ByteCursor.Overrun() }
                    time = Int64(base)
                default:  // trun
                    guard matches else { return }
                    let count = Int64(try cursor.uint32BE())
                    var position = dataCursor ?? baseOffset
                    if flags & 0x01 != 0 { position = baseOffset + Int64(Int32(bitPattern: try cursor.uint32BE())) }
                    if flags & 0x04 != 0 { try cursor.skip(4) }
                    let perSample = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count * 4
                    if perSample > 0 {
                        guard count <= Int64(cursor.remaining / perSample) else { throw ByteCursor.Overrun() }
                    } else {
                        // Without per-sample fields the count is not bounded by the box: cap it
                        // by the bytes the samples would need.
                        guard size > 0, count <= (file.size - position) / Int64(size) else { throw ByteCursor.Overrun() }
                    }
                    guard samplesSeen + count <= Self.sampleLimit else { throw ByteCursor.Overrun() }
                    samplesSeen += count
                    for _ in 0..<count {
                        let sampleDuration = flags & 0x100 != 0 ? try cursor.uint32BE() : duration
                        let sampleSize = flags & 0x200 != 0 ? try cursor.uint32BE() : size
                        try cursor.skip(perSample - (flags & 0x100 != 0 ? 4 : 0) - (flags & 0x200 != 0 ? 4 : 0))
                        // A sample may lie past the end of the file (the last 'mdat' cut
                        // short): the length scan stops at the first such sample.
                        guard position >= 0 else { throw ByteCursor.Overrun() }
                        queued.append(Sample(offset: position, size: Int(sampleSize), decodeTime: time, duration: Int64(sampleDuration)))
                        position += Int64(sampleSize)
                        time += Int64(sampleDuration)
                        guard time < MP4SampleTable.durationLimit else { throw ByteCursor.Overrun() }
                    }
                    dataCursor = position
                }
            } catch {
                throw file.corrupt("the fragment box '\(box.type)' at byte \(box.offset) is damaged, lists more samples than it holds, or points outside the file")
            }
        }
        guard matches else { return }
        if let dataCursor { previousDataEnd = dataCursor }
        decodeEnd = time
    }
}
