internal import CSndFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file as libsndfile reads it through `sf_open_virtual`: the bytes on disk, except for one
/// corrected size field.
///
/// libsndfile 1.2 believes a WAV data size of 0 (and a size smaller than the audio written) and
/// delivers nothing past it, while it reads to the end of the file when the size is 0xFFFFFFFF
/// (the "streamed" value). Presenting the data size as 0xFFFFFFFF makes libsndfile deliver every
/// whole frame present, with all its own decoding of the WAV's sample formats — the file on
/// disk is never touched. RF64 and CAF written to a pipe state no size that libsndfile reads
/// to the end (RF64's ds64 says 0; CAF's data chunk says −1, which libsndfile refuses as
/// malformed): for them the view presents the bytes actually present.
final class SndFileCorrectedView {
    private let file: BinaryFileReader
    private let patchOffset: Int64
    private let patch: [UInt8]
    private var position: Int64 = 0

    /// A view of `file` in which the four bytes at `offset` read as `value` (little-endian).
    convenience init(file: BinaryFileReader, replacingUInt32At offset: Int64, with value: UInt32) {
        self.init(file: file, replacing: (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }, at: offset)
    }

    /// A view of `file` in which the bytes at `offset` read as `bytes`.
    init(file: BinaryFileReader, replacing bytes: [UInt8], at offset: Int64) {
        self.file = file
        self.patchOffset = offset
        self.patch = bytes
    }

    var path: String { file.path }

    /// The callbacks `sf_open_virtual` reads through; `user_data` is this view, unretained (the
    /// `SndFileHandle` that opened it keeps it alive for as long as the `SNDFILE*` lives).
    static let callbacks = SF_VIRTUAL_IO(
        get_filelen: { user in view(user).file.size },
        seek: { offset, whence, user in view(user).seek(offset, whence: whence) },
        read: { pointer, count, user in view(user).read(into: pointer, count: count) },
        write: { _, _, _ in 0 },
        tell: { user in view(user).position })

    private static func view(_ user: UnsafeMutableRawPointer?) -> SndFileCorrectedView {
        Unmanaged<SndFileCorrectedView>.fromOpaque(user!).takeUnretainedValue()
    }

    private func seek(_ offset: sf_count_t, whence: Int32) -> sf_count_t {
        let base: Int64
        switch whence {
        case SEEK_CUR: base = position
        case SEEK_END: base = file.size
        default: base = 0
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return position
    }

    private func read(into pointer: UnsafeMutableRawPointer?, count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0, position < file.size else { return 0 }
        let wanted = Int(min(count, file.size - position))
        let buffer = UnsafeMutableRawBufferPointer(start: pointer, count: wanted)
        guard let n = try? file.read(at: position, into: buffer) else { return 0 }
        // Overlay the corrected field where the read covers it.
        for i in 0..<patch.count {
            let at = patchOffset + Int64(i) - position
            if at >= 0, at < Int64(n) { buffer[Int(at)] = patch[i] }
        }
        position += Int64(n)
        return sf_count_t(n)
    }
}
