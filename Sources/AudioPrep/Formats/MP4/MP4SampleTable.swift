/// The sample tables of one MP4 track (`stts`, `stsc`, `stsz`/`stz2`, `stco`/`co64`), checked
/// for consistency, with an iterator over every sample's file position, size and decode time.
///
/// Entry counts are checked against the box's real payload size before anything is stored,
/// so a lying count can never size an allocation.
struct MP4SampleTable: Sendable {
    struct TimeToSample: Sendable { var count: UInt32; var delta: UInt32 }
    struct SampleToChunk: Sendable { var firstChunk: UInt32; var samplesPerChunk: UInt32 }

    var timeToSample: [TimeToSample] = []
    var sampleToChunk: [SampleToChunk] = []
    /// Per-sample sizes, or empty when every sample has `uniformSize`.
    var sizes: [UInt32] = []
    var uniformSize: UInt32 = 0
    var sampleCount: Int64 = 0
    var chunkOffsets: [UInt64] = []

    /// The largest media duration accepted, in media timescale units (2^50: years at any real rate).
    static let durationLimit: Int64 = 1 << 50

    /// The sum of all `stts` deltas: the media duration in media timescale units, saturated at
    /// `Int64.max` (which `validate` rejects) so that lying deltas cannot overflow.
    var totalDuration: Int64 {
        var total: Int64 = 0
        for entry in timeToSample {
            let (product, overflow) = Int64(entry.count).multipliedReportingOverflow(by: Int64(entry.delta))
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow || overflow2 { return .max }
            total = sum
        }
        return total
    }

    /// Parses one of the table boxes into `self`.
    mutating func parse(_ box: MP4BoxHeader, payload: [UInt8], file: ContainerByteReader) throws(AudioPrepError) {
        var cursor = ByteCursor(payload)
        do throws(ByteCursor.Overrun) {
            try cursor.skip(4)  // version and flags
            switch box.type {
            case "stts":
                let count = Int(try cursor.uint32BE())
                guard count <= cursor.remaining / 8 else { throw ByteCursor.Overrun() }
                timeToSample = []
                timeToSample.reserveCapacity(count)
                for _ in 0..<count { timeToSample.append(TimeToSample(count: try cursor.uint32BE(), delta: try cursor.uint32BE())) }
            case "stsc":
                let count = Int(try cursor.uint32BE())
                guard count <= cursor.remaining / 12 else { throw ByteCursor.Overrun() }
                sampleToChunk = []
                sampleToChunk.reserveCapacity(count)
                for _ in 0..<count {
                    let first = try cursor.uint32BE()
                    let perChunk = try cursor.uint32BE()
                    try cursor.skip(4)  // sample description index
                    sampleToChunk.append(SampleToChunk(firstChunk: first, samplesPerChunk: perChunk))
                }
            case "stsz":
                uniformSize = try cursor.uint32BE()
                sampleCount = Int64(try cursor.uint32BE())
                if uniformSize == 0 {
                    guard sampleCount <= Int64(cursor.remaining / 4) else { throw ByteCursor.Overrun() }
                    sizes = []
                    sizes.reserveCapacity(Int(sampleCount))
                    for _ in 0..<sampleCount { sizes.append(try cursor.uint32BE()) }
                }
            case "stz2":
                try cursor.skip(3)
                let fieldSize = Int(try cursor.uint8())
                sampleCount = Int64(try cursor.uint32BE())
                guard [4, 8, 16].contains(fieldSize) else { throw ByteCursor.Overrun() }
                guard sampleCount <= Int64(cursor.remaining) * 8 / Int64(fieldSize) else { throw ByteCursor.Overrun() }
                sizes = []
                sizes.reserveCapacity(Int(sampleCount))
                var index: Int64 = 0
                while index < sampleCount {
                    switch fieldSize {
                    case 4:
                        let byte = try cursor.uint8()
                        sizes.append(UInt32(byte >> 4))
                        if index + 1 < sampleCount { sizes.append(UInt32(byte & 0x0F)) }
                        index += 2
                    case 8:
                        sizes.append(UInt32(try cursor.uint8()))
                        index += 1
                    default:
                        sizes.append(UInt32(try cursor.uint16BE()))
                        index += 1
                    }
                }
            case "stco", "co64":
                let count = Int(try cursor.uint32BE())
                let width = box.type == "stco" ? 4 : 8
                guard count <= cursor.remaining / width else { throw ByteCursor.Overrun() }
                chunkOffsets = []
                chunkOffsets.reserveCapacity(count)
                for _ in 0..<count { chunkOffsets.append(try cursor.bigEndian(width)) }
            default:
                break
            }
        } catch {
            throw file.corrupt("MP4 box '\(box.type)' at byte \(box.offset) has more entries than bytes")
        }
    }

    /// Checks that the tables describe the same samples: the `stts` count equals the `stsz`
    /// count, and the chunks hold exactly that many samples.
    func validate(file: ContainerByteReader) throws(AudioPrepError) {
        let timed = timeToSample.reduce(Int64(0)) { $0 + Int64($1.count) }
        guard totalDuration < Self.durationLimit else {
            throw file.corrupt("the MP4 time-to-sample table ('stts') adds up to an impossible duration")
        }
        guard timed == sampleCount else {
            throw file.corrupt("the MP4 sample tables disagree: stts times \(timed) samples, stsz sizes \(sampleCount)")
        }
        if sampleCount == 0 { return }
        // Chunk offsets are 64-bit in 'co64': beyond the file they are damage (and beyond
        // Int64 they could not even be converted).
        if let beyond = chunkOffsets.first(where: { $0 > UInt64(file.size) }) {
            throw file.corrupt("an MP4 chunk offset (\(beyond)) points beyond the end of the file (\(file.size) bytes)")
        }
        guard let first = sampleToChunk.first, first.firstChunk == 1 else {
            throw file.corrupt("the MP4 stsc table does not start at chunk 1")
        }
        var chunked: Int64 = 0
        for (index, entry) in sampleToChunk.enumerated() {
            let next = index + 1 < sampleToChunk.count ? Int64(sampleToChunk[index + 1].firstChunk) : Int64(chunkOffsets.count) + 1
            guard next > Int64(entry.firstChunk), next <= Int64(chunkOffsets.count) + 1 else {
                throw file.corrupt("the MP4 stsc table's chunk numbers are out of order or beyond the \(chunkOffsets.count) chunks")
            }
            chunked += (next - Int64(entry.firstChunk)) * Int64(entry.samplesPerChunk)
            guard chunked <= sampleCount else { break }
        }
        guard chunked == sampleCount else {
            throw file.corrupt("the MP4 chunks hold \(chunked) samples but the sample tables list \(sampleCount)")
        }
    }

    /// One sample: where its bytes are and when it is decoded (media timescale units).
    struct Sample: Sendable, Hashable {
        var offset: Int64
        var size: Int
        var decodeTime: Int64
        var duration: Int64
    }

    /// Iterates the samples in decode order; call only after `validate`.
    struct Iterator: IteratorProtocol {
        let table: MP4SampleTable
        private var sample: Int64 = 0
        private var chunk = 0  // 0-based chunk index
        private var stscIndex = 0
        private var inChunk: Int64 = 0
        private var chunkPosition: Int64 = 0
        private var sttsIndex = 0
        private var sttsUsed: UInt32 = 0
        private var time: Int64 = 0

        init(_ table: MP4SampleTable) {
            self.table = table
            chunkPosition = Int64(table.chunkOffsets.first ?? 0)
        }

        mutating func next() -> Sample? {
            guard sample < table.sampleCount else { return nil }
            while inChunk >= Int64(table.sampleToChunk[stscIndex].samplesPerChunk) {
                chunk += 1
                inChunk = 0
                chunkPosition = Int64(table.chunkOffsets[chunk])
                if stscIndex + 1 < table.sampleToChunk.count, chunk + 1 >= Int(table.sampleToChunk[stscIndex + 1].firstChunk) {
                    stscIndex += 1
                }
            }
            while sttsUsed >= table.timeToSample[sttsIndex].count {
                sttsIndex += 1
                sttsUsed = 0
            }
            let size = Int(table.sizes.isEmpty ? table.uniformSize : table.sizes[Int(sample)])
            let delta = Int64(table.timeToSample[sttsIndex].delta)
            let result = Sample(offset: chunkPosition, size: size, decodeTime: time, duration: delta)
            // Offsets are at most the file size (validate) and sizes 32-bit, but a chunk may
            // claim billions of samples: past Int64 the position saturates (and is past the file).
            let (next, overflow) = chunkPosition.addingReportingOverflow(Int64(size))
            chunkPosition = overflow ? .max : next
            inChunk += 1
            sttsUsed += 1
            time += delta
            sample += 1
            return result
        }
    }

    func makeIterator() -> Iterator { Iterator(self) }
}
