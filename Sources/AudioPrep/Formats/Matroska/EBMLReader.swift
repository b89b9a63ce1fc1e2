/// The header of one EBML element: its ID, where its data starts, and its data size.
struct EBMLElementHeader: Sendable, Hashable {
    /// The element ID with its length-marker bits kept (e.g. `0x1A45DFA3`).
    var id: UInt32
    /// The file offset of the element's first header byte.
    var offset: Int64
    /// The file offset of the element's data.
    var dataOffset: Int64
    /// The data size, or nil for an "unknown size" element (live muxers write Segments and
    /// Clusters this way and let the next element or the end of the file close them).
    var size: Int64?

    /// The offset just past the element, when its size is known.
    var end: Int64? { size.map { dataOffset + $0 } }
}

/// Reads EBML variable-length integers, element headers and element values from a
/// `ContainerByteReader`, checking every size against the file and the enclosing element.
struct EBMLReader {
    let file: ContainerByteReader

    /// Largest binary or string element value callprep reads into memory (CodecPrivate, CodecID,
    /// DocType); larger ones are only ever skipped.
    static let valueLimit = 1 << 20

    /// Reads the element header at `offset`; `parentEnd` is the end of the enclosing element (or
    /// of the file). Throws `corruptFile` for an invalid ID or size, or one that overruns the parent.
    func header(at offset: Int64, parentEnd: Int64) throws(AudioPrepError) -> EBMLElementHeader {
        let head = try file.bytesUpTo(at: offset, count: 12, what: "an EBML element header")
        var cursor = ByteCursor(head)
        guard let first = head.first, first != 0 else {
            throw file.corrupt("invalid EBML element ID at byte \(offset)")
        }
        let idLength = first.leadingZeroBitCount + 1
        guard idLength <= 4, let idBits = try? cursor.bigEndian(idLength) else {
            throw file.corrupt("invalid EBML element ID at byte \(offset)")
        }
        guard let sizeFirst = try? cursor.uint8(), sizeFirst != 0 else {
            throw file.corrupt("invalid EBML size at byte \(offset)")
        }
        let sizeLength = sizeFirst.leadingZeroBitCount + 1
        var value = UInt64(sizeFirst & (0xFF >> sizeLength))
        guard let rest = try? cursor.bigEndian(sizeLength - 1) else {
            throw file.corrupt("EBML element header at byte \(offset) is cut off by the end of the file")
        }
        value = value << (8 * UInt64(sizeLength - 1)) | rest
        let allOnes: UInt64 = (1 << (7 * UInt64(sizeLength))) - 1
        let dataOffset = offset + Int64(idLength + sizeLength)
        let element = EBMLElementHeader(
            id: UInt32(idBits), offset: offset, dataOffset: dataOffset,
            size: value == allOnes ? nil : Int64(value))
        if let end = element.end {
            guard value <= UInt64(Int64.max / 2), end <= parentEnd else {
                throw file.corrupt(
                    "EBML element 0x\(String(element.id, radix: 16, uppercase: true)) at byte \(offset) claims \(value) bytes, past the end of its parent at byte \(parentEnd) (the file has \(file.size) bytes)")
            }
        } else if dataOffset > parentEnd {
            throw file.corrupt("EBML element at byte \(offset) starts past the end of its parent")
        }
        return element
    }

    /// Reads an unsigned integer element (at most 8 bytes).
    func unsigned(_ element: EBMLElementHeader) throws(AudioPrepError) -> UInt64 {
        let bytes = try value(element, limit: 8, name: "an unsigned integer")
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads a signed integer element (at most 8 bytes, two's complement).
    func signed(_ element: EBMLElementHeader) throws(AudioPrepError) -> Int64 {
        let bytes = try value(element, limit: 8, name: "a signed integer")
        guard let first = bytes.first else { return 0 }
        var result: Int64 = first & 0x80 != 0 ? -1 : 0
        for byte in bytes { result = result << 8 | Int64(byte) }
        return result
    }

    /// Reads a float element (0, 4 or 8 bytes).
    func float(_ element: EBMLElementHeader) throws(AudioPrepError) -> Double {
        let bytes = try value(element, limit: 8, name: "a float")
        let bits = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        switch bytes.count {
        case 0: return 0
        case 4: return Double(Float(bitPattern: UInt32(bits)))
        case 8: return Double(bitPattern: bits)
        default: throw file.corrupt("float element at byte \(element.offset) has \(bytes.count) bytes (4 or 8 expected)")
        }
    }

    /// Reads a string element, dropping trailing NUL padding.
    func string(_ element: EBMLElementHeader) throws(AudioPrepError) -> String {
        var bytes = try value(element, limit: 4096, name: "a string")
        while bytes.last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a binary element of at most `EBMLReader.valueLimit` bytes.
    func binary(_ element: EBMLElementHeader) throws(AudioPrepError) -> [UInt8] {
        try value(element, limit: Self.valueLimit, name: "a binary value")
    }

    private func value(_ element: EBMLElementHeader, limit: Int, name: String) throws(AudioPrepError) -> [UInt8] {
        guard let size = element.size else {
            throw file.corrupt("\(name) element at byte \(element.offset) has an unknown size")
        }
        guard size <= Int64(limit) else {
            throw file.corrupt("\(name) element 0x\(String(element.id, radix: 16, uppercase: true)) at byte \(element.offset) has \(size) bytes, more than the \(limit) allowed")
        }
        return try file.bytes(at: element.dataOffset, count: Int(size), limit: limit, what: name + " element")
    }

    /// Calls `body` for each child of the master element `parent`, in file order, and stops at
    /// the parent's end. Children with unknown sizes are rejected (only Segments and Clusters
    /// may have them, and those are walked separately).
    func forEachChild(
        of parent: EBMLElementHeader, _ body: (EBMLElementHeader) throws(AudioPrepError) -> Void
    ) throws(AudioPrepError) {
        guard let end = parent.end else {
            throw file.corrupt("element 0x\(String(parent.id, radix: 16, uppercase: true)) at byte \(parent.offset) has an unknown size where callprep needs a known one")
        }
        var offset = parent.dataOffset
        while offset < end {
            let child = try header(at: offset, parentEnd: end)
            guard let childEnd = child.end else {
                throw file.corrupt("element 0x\(String(child.id, radix: 16, uppercase: true)) at byte \(child.offset) has an unknown size inside a sized parent")
            }
            try body(child)
            offset = childEnd
        }
    }
}

/// Reads an EBML-coded unsigned variable-length integer from a cursor (Matroska block track
/// numbers and EBML lace sizes). Returns the value and its length in bytes.
func readEBMLVarint(_ cursor: inout ByteCursor) throws(ByteCursor.Overrun) -> (value: UInt64, length: Int) {
    let first = try cursor.uint8()
    guard first != 0 else { throw ByteCursor.Overrun() }
    let length = first.leadingZeroBitCount + 1
    var value = UInt64(first & (0xFF >> length))
    if length > 1 { value = value << (8 * UInt64(length - 1)) | (try cursor.bigEndian(length - 1)) }
    return (value, length)
}
