/// Splits the data of a Matroska Block into its frames according to the block's lacing mode
/// (RFC 9559 §10.3: no lacing, Xiph, fixed-size, EBML).
enum MatroskaLacing: UInt8, Sendable {
    case none = 0
    case xiph = 1
    case fixedSize = 2
    case ebml = 3

    /// Splits what remains in `cursor` into frames. Every size is checked against the bytes
    /// left, so a damaged lace header throws `ByteCursor.Overrun` rather than over-reading.
    func frames(from cursor: inout ByteCursor) throws(ByteCursor.Overrun) -> [[UInt8]] {
        if self == .none { return [cursor.takeRest()] }
        let count = Int(try cursor.uint8()) + 1
        var sizes: [Int] = []
        sizes.reserveCapacity(count)
        switch self {
        case .none:
            break
        case .xiph:
            for _ in 0..<(count - 1) {
                var size = 0
                var byte: UInt8
                repeat {
                    byte = try cursor.uint8()
                    size += Int(byte)
                } while byte == 255
                sizes.append(size)
            }
        case .fixedSize:
            guard cursor.remaining % count == 0 else { throw ByteCursor.Overrun() }
            sizes = Array(repeating: cursor.remaining / count, count: count - 1)
        case .ebml:
            if count > 1 {
                var size = Int64(try readEBMLVarint(&cursor).value)
                guard size <= Int64(cursor.remaining) else { throw ByteCursor.Overrun() }
                sizes.append(Int(size))
                for _ in 1..<(count - 1) {
                    let (raw, length) = try readEBMLVarint(&cursor)
                    let bias = (Int64(1) << (7 * Int64(length) - 1)) - 1
                    size += Int64(raw) - bias
                    guard size >= 0, size <= Int64(cursor.remaining) else { throw ByteCursor.Overrun() }
                    sizes.append(Int(size))
                }
            }
        }
        let laced = sizes.reduce(0, +)
        guard laced <= cursor.remaining else { throw ByteCursor.Overrun() }
        var frames: [[UInt8]] = []
        frames.reserveCapacity(count)
        for size in sizes { frames.append(try cursor.take(size)) }
        frames.append(cursor.takeRest())
        return frames
    }
}
