/// Where `NativeFLACDecoder` reads the bytes of a FLAC stream's frames: a native FLAC file after
/// its metadata, or the packets of a FLAC-in-Ogg stream.
protocol FLACFrameByteSource: AnyObject {
    /// Fills `buffer` from its start with the next bytes; returns fewer than `buffer.count` only
    /// at the end of the frames.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AudioPrepError) -> Int
}

/// The frames of a native FLAC file, from the byte where the first one starts.
final class FLACFileFrameBytes: FLACFrameByteSource {
    private let file: BinaryFileReader
    /// The file offset of the next byte to deliver.
    private var offset: Int64

    init(file: BinaryFileReader, offset: Int64) {
        self.file = file
        self.offset = offset
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AudioPrepError) -> Int {
        let n = try file.read(at: offset, into: buffer)
        offset += Int64(n)
        return n
    }
}
