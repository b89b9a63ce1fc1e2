internal import CAudioKernels

/// Decodes the audio frames of a native FLAC file without libFLAC, about 1.6 times as fast as
/// libFLAC 1.4.2 (`callprep validate` of a 60-minute 48 kHz FLAC: 0.63–0.67 s of CPU against
/// 1.06–1.11 s). Decoding is the largest cost of a merge from FLAC inputs (`Docs/Benchmarks.md`).
///
/// `FLACReader` opens the file with libFLAC first (metadata, STREAMINFO, an ID3v2 tag before
/// the stream) and hands over at the first frame's byte offset. It uses this decoder for streams
/// of up to 24 bits per sample, and libFLAC for wider ones.
///
/// Where the time goes, and what makes it fast:
/// - Frame and subframe headers are parsed in Swift (`FLACFrameHeader`, `FLACSubframeDecoder`).
/// - The Rice-coded residual, which is most of the bits, is decoded by a C loop
///   (`callprep_flac_rice_decode`).
/// - Linear prediction is applied to up to eight subframes at once. Frames are decoded in groups
///   of up to eight subframes, and the group's LPC subframes of equal length are restored together
///   (`callprep_flac_lpc_restore32_lanes`), one per AVX2 lane. Each subframe is a serial chain of
///   multiply-adds, so one at a time leaves the multipliers mostly idle.
///
/// Frames are checked as strictly as libFLAC checks them: the sync code, reserved values, the
/// header's CRC-8, the whole frame's CRC-16, and a layout (channels, bits) equal to
/// STREAMINFO's. Where libFLAC would report damage and search for the next frame, this decoder
/// stops with `.decodeFailed`, as `FLACFileSource` did with libFLAC's reports. The frames decoded
/// before the damaged one are delivered first.
///
/// Decoding stops at `frameLimit`, the end of the last decodable frame that `FLACReader` found
/// (`FLACStreamExtent`), so bytes after the audio (a tag, padding, a frame cut short) are never
/// parsed. `measureFrame` checks one frame in bytes the caller read (the tail scan).
///
/// Memory:
/// - a read buffer of 128 KiB, grown for a frame that does not fit, never beyond the largest
///   frame a ≤ 24-bit stream can have;
/// - eight 65,536-sample planes and an 8 × 65,536 scratch area. Only the part a stream's block
///   size uses is ever touched: 4,096-sample blocks use 16 KiB of each plane;
/// - the converted remainder of one frame.
///
/// Sizes read from the file never size an allocation.
final class NativeFLACDecoder {
    let path: String
    let info: FLACStreamInfo
    /// Where the frames' bytes come from (the file after its metadata, or FLAC-in-Ogg packets).
    private let input: any FLACFrameByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    /// Valid bytes in `buffer` are `cursor..<validEnd`; `cursor` is the next frame's first byte.
    private var cursor = 0
    private var validEnd = 0
    private var endOfFile = false

    /// Subframe planes: slot s holds `FLACFrameHeader.maxBlockSize` samples from `s × maxBlockSize`.
    private let storage: UnsafeMutableBufferPointer<Int32>
    /// The `count × 8` interleaved lanes of the batched prediction.
    private let scratch: UnsafeMutableBufferPointer<Int32>
    /// The channel planes of the frame being delivered, for `PlanarToInterleaved`.
    private let planes: UnsafeMutablePointer<UnsafePointer<Int32>?>
    private let scale: Float

    /// The decoded group: its frames in stream order, the next one to deliver, and the damage
    /// found after its last frame (thrown once the group is delivered).
    private var group: [GroupFrame] = []
    private var nextToDeliver = 0
    private var deferredFailure: AudioPrepError?
    /// Samples per channel decoded so far, to stop at `frameLimit`.
    private var decodedFrames: Int64 = 0
    /// Where decoding stops (samples per channel from the first frame); nil: at the end of the
    /// file. Set before the first `decode`.
    var frameLimit: Int64?
    private var reachedEnd = false
    /// The converted remainder of the last frame, not yet delivered.
    private var pending: PendingPCM

    private struct GroupFrame {
        var blockSize: Int
        var coding: FLACFrameHeader.ChannelCoding
        /// The slot of its first channel; the others follow.
        var firstSlot: Int
    }

    /// Subframes decoded before their predictions are applied together (one per AVX2 lane).
    static let groupSlots = 8
    /// 128 KiB: dozens of typical frames (3–16 KiB for 16-bit stereo at 4,096 samples), refilled
    /// when less than `refillBelow` is left, so that a refill moves little and reads a lot.
    private static let initialBufferSize = 128 * 1024
    private static let refillBelow = 32 * 1024
    /// Above the largest frame of 8 channels × 65,536 samples of 25-bit (side) data, even with
    /// every partition escaped to 31-bit raw samples (≈ 2.03 MB).
    private static let maxBufferSize = 4 * 1024 * 1024

    /// Starts decoding `file` (opened at `path`) at `frameOffset`, the byte where its first audio
    /// frame begins.
    convenience init(path: String, file: BinaryFileReader, info: FLACStreamInfo, frameOffset: Int64) {
        self.init(path: path, info: info, input: FLACFileFrameBytes(file: file, offset: frameOffset))
    }

    /// Decodes the frames `input` delivers, one after the other, for a stream described by `info`.
    init(path: String, info: FLACStreamInfo, input: any FLACFrameByteSource) {
        precondition((1...8).contains(info.channels) && (4...24).contains(info.bitsPerSample))
        self.path = path
        self.info = info
        self.input = input
        self.buffer = .allocate(byteCount: Self.initialBufferSize + FLACBitReader.padding, alignment: 16)
        self.storage = .allocate(capacity: FLACFrameHeader.maxBlockSize * Self.groupSlots)
        self.scratch = .allocate(capacity: FLACFrameHeader.maxBlockSize * 8)
        self.planes = .allocate(capacity: info.channels)
        self.scale = 1 / Float(sign: .plus, exponent: info.bitsPerSample - 1, significand: 1)
        self.pending = PendingPCM(channels: info.channels)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        buffer.deallocate()
        storage.deallocate()
        scratch.deallocate()
        planes.deallocate()
    }

    private func slot(_ index: Int) -> UnsafeMutablePointer<Int32> {
        storage.baseAddress! + index * FLACFrameHeader.maxBlockSize
    }

    /// Writes up to `frames` interleaved frames to `destination`: the rest of the previous frame
    /// first, then newly decoded frames. Returns fewer than `frames` only at the end of the stream.
    /// Throws `.decodeFailed` for damage (lost sync, a bad header, a checksum mismatch, reserved
    /// coding, a frame cut short by the end of the file) once the intact frames before it are
    /// delivered, and `.unreadable` when reading fails.
    func decode(into destination: UnsafeMutablePointer<Float>, frames: Int) throws(AudioPrepError) -> Int {
        let channels = info.channels
        var written = pending.drain(into: destination, capacity: frames)
        while written < frames {
            if nextToDeliver == group.count {
                if let failure = deferredFailure { throw failure }
                if reachedEnd { break }
                try decodeGroup()
                if group.isEmpty {
                    if let failure = deferredFailure { throw failure }
                    break
                }
            }
            let frame = group[nextToDeliver]
            nextToDeliver += 1
            for channel in 0..<channels {
                planes[channel] = UnsafePointer(slot(frame.firstSlot + channel))
            }
            written += PlanarToInterleaved.deliver(
                planes, channels: channels, frames: frame.blockSize, scale: scale,
                into: destination + written * channels, capacity: frames - written, remainder: &pending)
        }
        return written
    }

    /// Decodes frames until the group's slots are full, the declared total is reached, the file
    /// ends or a frame is damaged (kept in `deferredFailure`); then applies the deferred
    /// predictions and rebuilds left/right.
    private func decodeGroup() throws(AudioPrepError) {
        group.removeAll(keepingCapacity: true)
        nextToDeliver = 0
        var deferred: [(samples: UnsafeMutablePointer<Int32>, prediction: FLACDeferredPrediction, count: Int)] = []
        var usedSlots = 0
        while usedSlots + info.channels <= Self.groupSlots {
            if let frameLimit, decodedFrames >= frameLimit { break }
            let decoded: (blockSize: Int, coding: FLACFrameHeader.ChannelCoding)?
            do {
                decoded = try decodeFrame(firstSlot: usedSlots) { samples, prediction, count in
                    deferred.append((samples, prediction, count))
                }
            } catch {
                // Deliver what was decoded before the damage, then report it.
                deferredFailure = error
                break
            }
            guard let decoded else {
                reachedEnd = true
                break
            }
            group.append(GroupFrame(blockSize: decoded.blockSize, coding: decoded.coding, firstSlot: usedSlots))
            usedSlots += info.channels
            decodedFrames += Int64(decoded.blockSize)
        }
        // Equal lengths go together (every frame but a stream's last has the same block size),
        // at most eight to a call.
        for (count, entries) in Dictionary(grouping: deferred, by: \.count) {
            for start in stride(from: 0, to: entries.count, by: 8) {
                let lanes = entries[start..<min(start + 8, entries.count)].map { (samples: $0.samples, prediction: $0.prediction) }
                FLACPrediction.restoreLanes(lanes, count: count, scratch: scratch.baseAddress!)
            }
        }
        for (index, frame) in group.enumerated() {
            decorrelate(frame.coding, first: slot(frame.firstSlot), second: slot(frame.firstSlot + 1), count: frame.blockSize)
            // libFLAC refuses a frame whose samples do not fit the stream's width (its checksum can
            // match while the data is not what an encoder wrote); so does this decoder, keeping
            // the frames before it.
            for channel in 0..<info.channels
            where callprep_flac_samples_fit(slot(frame.firstSlot + channel), frame.blockSize, UInt32(info.bitsPerSample)) == 0 {
                group.removeSubrange(index...)
                deferredFailure = damaged("a frame decodes to samples outside the stream's \(info.bitsPerSample)-bit range")
                return
            }
        }
    }

    /// Decodes the next frame into the slots from `firstSlot`; its 32-bit LPC subframes are
    /// handed to `deferPrediction` instead of being restored. Returns nil at a clean end of file.
    private func decodeFrame(
        firstSlot: Int,
        deferPrediction: (UnsafeMutablePointer<Int32>, FLACDeferredPrediction, Int) -> Void
    ) throws(AudioPrepError) -> (blockSize: Int, coding: FLACFrameHeader.ChannelCoding)? {
        while true {
            if validEnd - cursor < Self.refillBelow, !endOfFile {
                try refill()
            }
            if cursor == validEnd, endOfFile { return nil }
            var reader = FLACBitReader(
                base: UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)), byteOffset: cursor,
                validBytes: validEnd)
            var predictions: [(Int, FLACDeferredPrediction)] = []
            do {
                let header = try decodeFrame(&reader, firstSlot: firstSlot, predictions: &predictions)
                cursor = reader.byteOffset
                for (slotIndex, prediction) in predictions {
                    deferPrediction(slot(slotIndex), prediction, header.blockSize)
                }
                return (header.blockSize, header.coding)
            } catch {
                switch error {
                case .needsMoreBytes:
                    guard !endOfFile else {
                        throw AudioPrepError(
                            .decodeFailed, path: path,
                            "the file ends inside a FLAC frame; it is truncated. Re-export or re-download it.")
                    }
                    try refill(grow: cursor == 0 && validEnd == buffer.count - FLACBitReader.padding)
                case .lostSync:
                    throw damaged("lost sync, bytes that are not FLAC frames")
                case .invalid(let what):
                    throw damaged(what)
                }
            }
        }
    }

    /// Parses the whole frame that starts at `offset` in `bytes` (whose `validBytes` are followed
    /// by `FLACBitReader.padding` readable bytes): its header, subframes and CRC-16, with the
    /// layout STREAMINFO declares. Returns the header and the offset one past the frame, or nil
    /// when no intact frame starts there (not a frame, damaged, or cut short by `validBytes`).
    /// Uses the first slots as scratch: call it before the first `decode`.
    func measureFrame(in bytes: UnsafePointer<UInt8>, at offset: Int, validBytes: Int) -> (header: FLACFrameHeader, end: Int)? {
        precondition(decodedFrames == 0 && group.isEmpty, "measureFrame after decoding started")
        var reader = FLACBitReader(base: bytes, byteOffset: offset, validBytes: validBytes)
        var predictions: [(Int, FLACDeferredPrediction)] = []
        guard let header = try? decodeFrame(&reader, firstSlot: 0, predictions: &predictions), !reader.overran else {
            return nil
        }
        return (header, reader.byteOffset)
    }

    private func damaged(_ what: String) -> AudioPrepError {
        AudioPrepError(
            .decodeFailed, path: path, "FLAC decoding failed (\(what)); the file is damaged. Re-export or re-download it.")
    }

    /// One frame: header, one subframe per channel, then the CRC-16 over the whole frame.
    private func decodeFrame(
        _ reader: inout FLACBitReader, firstSlot: Int, predictions: inout [(Int, FLACDeferredPrediction)]
    ) throws(FLACFrameFailure) -> FLACFrameHeader {
        let start = reader.byteOffset
        let header = try FLACFrameHeader.parse(&reader)
        let channels = header.coding.channels
        let bits = header.bitsPerSample == 0 ? info.bitsPerSample : header.bitsPerSample
        guard channels == info.channels, bits == info.bitsPerSample else {
            throw .invalid(
                "a frame holds \(channels) channels of \(bits)-bit samples where STREAMINFO declares \(info.channels) of \(info.bitsPerSample)-bit")
        }
        let side = header.coding.sideChannel
        for channel in 0..<channels {
            let prediction = try FLACSubframeDecoder.decode(
                &reader, blockSize: header.blockSize, bitsPerSample: channel == side ? bits + 1 : bits,
                into: slot(firstSlot + channel))
            if let prediction { predictions.append((firstSlot + channel, prediction)) }
        }
        reader.alignToByte()
        guard reader.position + 16 <= reader.limit else { throw .needsMoreBytes }
        let end = reader.byteOffset
        let expected = UInt16(reader.read(16))
        let computed = FLACChecksums.crc16(UnsafeRawBufferPointer(start: reader.base + start, count: end - start))
        guard expected == computed else { throw .invalid("a frame's data does not match its checksum") }
        return header
    }

    /// Rebuilds left and right from the coded pair (RFC 9639 §4.2).
    private func decorrelate(
        _ coding: FLACFrameHeader.ChannelCoding, first: UnsafeMutablePointer<Int32>,
        second: UnsafeMutablePointer<Int32>, count: Int
    ) {
        switch coding {
        case .independent:
            break
        case .leftSide:
            for i in 0..<count { second[i] = first[i] &- second[i] }
        case .sideRight:
            for i in 0..<count { first[i] = first[i] &+ second[i] }
        case .midSide:
            for i in 0..<count {
                let side = second[i]
                let mid = (first[i] &<< 1) | (side & 1)
                first[i] = (mid &+ side) &>> 1
                second[i] = (mid &- side) &>> 1
            }
        }
    }

    /// Moves the unread bytes to the front and reads more after them; `grow` first doubles the
    /// buffer (for a frame larger than the whole buffer), up to the largest possible frame.
    private func refill(grow: Bool = false) throws(AudioPrepError) {
        let kept = validEnd - cursor
        var capacity = buffer.count - FLACBitReader.padding
        if grow {
            guard capacity < Self.maxBufferSize else {
                throw damaged("a frame is larger than any valid FLAC frame")
            }
            capacity = min(capacity * 2, Self.maxBufferSize)
            let larger = UnsafeMutableRawBufferPointer.allocate(
                byteCount: capacity + FLACBitReader.padding, alignment: 16)
            larger.initializeMemory(as: UInt8.self, repeating: 0)
            larger.baseAddress!.copyMemory(from: buffer.baseAddress! + cursor, byteCount: kept)
            buffer.deallocate()
            buffer = larger
        } else if cursor > 0, kept > 0 {
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + cursor, byteCount: kept)
        }
        cursor = 0
        validEnd = kept
        let room = UnsafeMutableRawBufferPointer(rebasing: buffer[kept..<capacity])
        let n = try input.read(into: room)
        validEnd += n
        if n < room.count { endOfFile = true }
        // The reader may look up to `padding` bytes past the valid ones: keep them zero.
        (buffer.baseAddress! + validEnd).initializeMemory(as: UInt8.self, repeating: 0, count: FLACBitReader.padding)
    }
}
