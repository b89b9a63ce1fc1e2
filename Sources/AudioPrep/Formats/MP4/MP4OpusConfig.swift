/// The Opus configuration of an Opus-in-MP4 track: the `dOps` box (Encapsulation of Opus in
/// ISO Base Media File Format, §4.3.2), which carries the OpusHead fields in big-endian order.
struct MP4OpusConfig: Sendable, Hashable {
    /// The output channel count.
    var channels: Int
    /// Samples at 48 kHz to discard from the start when the track has no edit list.
    var preSkip: Int
    /// The same fields as an RFC 7845 OpusHead (little-endian), for `OpusHead` and the decoder.
    var opusHead: [UInt8]

    /// Parses the `dOps` payload; a box too short for its fields is damage.
    init(_ payload: [UInt8], file: ContainerByteReader) throws(AudioPrepError) {
        var cursor = ByteCursor(payload)
        let fields = try? Self.fields(&cursor)
        guard let fields else { throw file.corrupt("the Opus configuration ('dOps') is cut short") }
        guard fields.version == 0, fields.channels > 0 else {
            throw file.corrupt("the Opus configuration ('dOps') declares version \(fields.version) with \(fields.channels) channels")
        }
        channels = Int(fields.channels)
        preSkip = Int(fields.preSkip)
        opusHead = Array("OpusHead".utf8) + [1, fields.channels]
            + [UInt8(fields.preSkip & 0xFF), UInt8(fields.preSkip >> 8)]
            + (0..<4).map { UInt8((fields.inputRate >> (8 * UInt32($0))) & 0xFF) }
            + [UInt8(fields.gain & 0xFF), UInt8(fields.gain >> 8), fields.family] + fields.mapping
    }

    private struct Fields {
        var version: UInt8, channels: UInt8, preSkip: UInt16, inputRate: UInt32, gain: UInt16, family: UInt8
        /// Stream count, coupled count and one byte per channel, for mapping families other than 0.
        var mapping: [UInt8]
    }

    private static func fields(_ cursor: inout ByteCursor) throws(ByteCursor.Overrun) -> Fields {
        var fields = Fields(
            version: try cursor.uint8(), channels: try cursor.uint8(), preSkip: try cursor.uint16BE(),
            inputRate: try cursor.uint32BE(), gain: try cursor.uint16BE(), family: try cursor.uint8(), mapping: [])
        if fields.family != 0 { fields.mapping = try cursor.take(2 + Int(fields.channels)) }
        return fields
    }
}
