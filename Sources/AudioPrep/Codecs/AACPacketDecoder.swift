#if AAC
internal import CFAAD

/// Decodes raw AAC access units (the packets of an MP4 `mp4a` track) to interleaved float PCM
/// with libfaad2. Only compiled with the package trait `AAC`: libfaad2 is GPL-2.0-or-later.
///
/// Owns one `NeAACDecHandle` (`NeAACDecOpen` … `NeAACDecClose`), initialised from the track's
/// AudioSpecificConfig with `NeAACDecInit2` and configured for float output without
/// down-mixing, so every packet comes out at the rate and channel count the probe reported.
final class AACPacketDecoder {
    /// The output rate in Hz (the SBR rate for HE-AAC, the core rate otherwise).
    let sampleRate: Int
    /// The output channel count.
    let channels: Int

    private let handle: NeAACDecHandle
    private let path: String

    /// Opens a decoder for `config` and checks that libfaad2 agrees with the probe about the
    /// output rate and channels (`expectedRate`, `expectedChannels`).
    init(config: AudioSpecificConfig, expectedRate: Int, expectedChannels: Int, path: String) throws(AudioPrepError) {
        guard let handle = NeAACDecOpen() else {
            throw AudioPrepError(.internalError, path: path, "libfaad2 could not create an AAC decoder (NeAACDecOpen failed); the machine may be out of memory.")
        }
        self.handle = handle
        self.path = path
        guard let settings = NeAACDecGetCurrentConfiguration(handle) else {
            NeAACDecClose(handle)
            throw AudioPrepError(.internalError, path: path, "libfaad2 returned no decoder configuration; please report this.")
        }
        settings.pointee.outputFormat = UInt8(FAAD_FMT_FLOAT)
        settings.pointee.downMatrix = 0
        // Without explicit SBR signalling, keep the core rate the AudioSpecificConfig declares:
        // libfaad2 would otherwise double rates ≤ 24 kHz in case of implicit SBR.
        settings.pointee.dontUpSampleImplicitSBR = config.extensionSampleRate == nil ? 1 : 0
        guard NeAACDecSetConfiguration(handle, settings) == 1 else {
            NeAACDecClose(handle)
            throw AudioPrepError(.internalError, path: path, "libfaad2 refused the float output configuration; please report this.")
        }
        var rate: UInt = 0
        var channelCount: UInt8 = 0
        var bytes = config.bytes
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            NeAACDecInit2(handle, buffer.baseAddress, UInt(buffer.count), &rate, &channelCount)
        }
        guard status >= 0 else {
            NeAACDecClose(handle)
            throw AudioPrepError(.unsupportedFormat, path: path, "holds an AAC configuration (\(config.profileName), \(config.sampleRate) Hz) that libfaad2 cannot decode; convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        // For a mono configuration libfaad2 announces two channels (a mono stream may carry
        // Parametric Stereo, which it can only signal in the packets); such output is folded
        // back to the one channel the configuration declares.
        let decoded = Int(channelCount)
        guard Int(rate) == expectedRate, decoded == expectedChannels || (expectedChannels == 1 && decoded == 2) else {
            NeAACDecClose(handle)
            throw AudioPrepError(.unsupportedFormat, path: path, "declares \(expectedChannels) channel(s) at \(expectedRate) Hz, but libfaad2 would decode \(channelCount) at \(rate) Hz; convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        self.sampleRate = expectedRate
        self.channels = expectedChannels
    }

    deinit { NeAACDecClose(handle) }

    /// Decodes one access unit with `NeAACDecDecode` and appends its interleaved samples to
    /// `output`; returns the frames appended (0 is possible while the decoder fills its delay).
    /// A damaged packet, or one that changes the rate or channel count, is an error.
    @discardableResult
    func decode(_ packet: [UInt8], appendingTo output: inout [Float]) throws(AudioPrepError) -> Int {
        guard !packet.isEmpty else {
            throw AudioPrepError(.corruptFile, path: path, "holds an empty AAC packet; the file is damaged — re-download or re-export it.")
        }
        var info = NeAACDecFrameInfo()
        var bytes = packet
        let samples = bytes.withUnsafeMutableBufferPointer { buffer in
            NeAACDecDecode(handle, &info, buffer.baseAddress, UInt(buffer.count))
        }
        if info.error != 0 {
            let reason = NeAACDecGetErrorMessage(info.error).map { String(cString: $0) } ?? "error \(info.error)"
            throw AudioPrepError(.decodeFailed, path: path, "has an AAC packet libfaad2 cannot decode (\(reason)); the file is damaged — re-download or re-export it.")
        }
        let count = Int(info.samples)
        guard count > 0 else { return 0 }
        let decoded = Int(info.channels)
        guard let samples, Int(info.samplerate) == sampleRate, decoded == channels || (channels == 1 && decoded == 2),
            count % decoded == 0, count <= 2 * 2048 * max(decoded, 2)
        else {
            throw AudioPrepError(.decodeFailed, path: path, "has an AAC packet that decodes to \(info.channels) channel(s) at \(info.samplerate) Hz instead of \(channels) at \(sampleRate) Hz; callprep cannot follow a mid-stream change — convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        let floats = UnsafeBufferPointer(start: samples.assumingMemoryBound(to: Float.self), count: count)
        if decoded == channels {
            output.append(contentsOf: floats)
            return count / channels
        }
        // Mono declared, two channels out: identical halves (libfaad2's mono up-mix) stay exact
        // under (L + R) / 2; real Parametric Stereo is down-mixed.
        let frames = count / 2
        output.reserveCapacity(output.count + frames)
        for frame in 0..<frames { output.append((floats[2 * frame] + floats[2 * frame + 1]) * 0.5) }
        return frames
    }
}
#endif
