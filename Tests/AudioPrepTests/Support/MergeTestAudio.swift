import AudioPrep
import CSndFile
import CSoxr
import Foundation

/// Writes and reads test audio through libsndfile (an independent implementation of the
/// formats), and makes deterministic speech-like test signals.
enum MergeTestAudio {
    /// A deterministic 16-bit signal: two drifting tones under syllable-like bursts of noise,
    /// with pauses, so that FLAC has real work and every sample value matters.
    static func speechLike(frames: Int, rate: Int, seed: UInt64, amplitude: Double = 0.4) -> [Int16] {
        var state = seed | 1
        var result = [Int16](repeating: 0, count: frames)
        for index in 0..<frames {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let noise = Double(Int64(bitPattern: state) >> 40) / Double(1 << 23)
            let t = Double(index) / Double(rate)
            let envelope = max(0, sin(2 * .pi * 3.1 * t + Double(seed % 7))) * (sin(2 * .pi * 0.23 * t) > -0.3 ? 1 : 0.02)
            let tone = 0.5 * sin(2 * .pi * (180 + 40 * sin(t)) * t) + 0.3 * sin(2 * .pi * 720 * t)
            let value = amplitude * envelope * (tone + 0.4 * noise) + 0.002 * noise
            result[index] = Int16(clamping: Int((value * 32767).rounded()))
        }
        return result
    }

    /// Writes interleaved 16-bit samples as a PCM WAV (`sf_open` in write mode, `sf_writef_short`).
    static func writeWAV16(_ path: String, rate: Int, channels: Int, samples: [Int16]) throws {
        var info = SF_INFO(frames: 0, samplerate: Int32(rate), channels: Int32(channels),
                           format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), sections: 0, seekable: 0)
        guard let file = sf_open(path, csndfile_SFM_WRITE, &info) else { throw TestAudioError.write(path) }
        defer { sf_close(file) }
        let written = samples.withUnsafeBufferPointer { sf_writef_short(file, $0.baseAddress, sf_count_t(samples.count / channels)) }
        guard written == samples.count / channels else { throw TestAudioError.write(path) }
    }

    /// Writes interleaved float samples as a 32-bit float WAV.
    static func writeWAVFloat(_ path: String, rate: Int, channels: Int, samples: [Float]) throws {
        var info = SF_INFO(frames: 0, samplerate: Int32(rate), channels: Int32(channels),
                           format: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT), sections: 0, seekable: 0)
        guard let file = sf_open(path, csndfile_SFM_WRITE, &info) else { throw TestAudioError.write(path) }
        defer { sf_close(file) }
        let written = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(samples.count / channels)) }
        guard written == samples.count / channels else { throw TestAudioError.write(path) }
    }

    /// Decoded 16-bit audio.
    struct Decoded {
        var rate: Int
        var channels: Int
        var samples: [Int16]
        var frames: Int { samples.count / channels }
        func channel(_ index: Int) -> [Int16] {
            stride(from: index, to: samples.count, by: channels).map { samples[$0] }
        }
    }

    /// Reads any file libsndfile decodes (WAV, FLAC) as 16-bit integers (`sf_readf_short`).
    static func read16(_ path: String) throws -> Decoded {
        var info = SF_INFO()
        guard let file = sf_open(path, csndfile_SFM_READ, &info) else { throw TestAudioError.read(path) }
        defer { sf_close(file) }
        var samples = [Int16](repeating: 0, count: Int(info.frames) * Int(info.channels))
        let got = samples.withUnsafeMutableBufferPointer { sf_readf_short(file, $0.baseAddress, info.frames) }
        guard got == info.frames else { throw TestAudioError.read(path) }
        return Decoded(rate: Int(info.samplerate), channels: Int(info.channels), samples: samples)
    }

    /// Reads any file libsndfile decodes as floats.
    static func readFloat(_ path: String) throws -> (rate: Int, channels: Int, samples: [Float]) {
        var info = SF_INFO()
        guard let file = sf_open(path, csndfile_SFM_READ, &info) else { throw TestAudioError.read(path) }
        defer { sf_close(file) }
        var samples = [Float](repeating: 0, count: Int(info.frames) * Int(info.channels))
        let got = samples.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, info.frames) }
        guard got == info.frames else { throw TestAudioError.read(path) }
        return (Int(info.samplerate), Int(info.channels), samples)
    }

    /// The signal-to-noise ratio of `test` against `reference`, in dB.
    static func snr(reference: [Float], test: [Float]) -> Double {
        var signal = 0.0, noise = 0.0
        for (r, t) in zip(reference, test) {
            signal += Double(r) * Double(r)
            noise += Double(r - t) * Double(r - t)
        }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }

    /// Files in `folder` (to check nothing was left behind, hidden temporaries included).
    static func contents(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }
}

enum TestAudioError: Error {
    case write(String)
    case read(String)
}

/// A PCMSource that replays given float samples in odd-sized pieces (to exercise buffering).
final class ArraySource: PCMSource {
    let format: PCMFormat
    let frameCount: Int64?
    private let samples: [Float]
    private var position = 0
    private let maxFramesPerRead: Int

    init(samples: [Float], rate: Int, channels: Int, maxFramesPerRead: Int = 1000) {
        self.samples = samples
        self.format = PCMFormat(sampleRate: rate, channels: channels)
        self.frameCount = Int64(samples.count / channels)
        self.maxFramesPerRead = maxFramesPerRead
    }

    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let frames = min(buffer.count / format.channels, maxFramesPerRead, (samples.count - position) / format.channels)
        for index in 0..<(frames * format.channels) { buffer[index] = samples[position + index] }
        position += frames * format.channels
        return frames
    }
}

/// An independent libsoxr reference: the whole signal in one `soxr_oneshot` call (not the
/// streaming `soxr_process` path the merger uses), same HQ linear-phase recipe, float in/out.
enum SoxrReference {
    static func resample(_ input: [Float], from inputRate: Int, to outputRate: Int) -> [Float] {
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(csoxr_HQ, csoxr_LINEAR_PHASE)
        var runtime = soxr_runtime_spec(1)
        let capacity = input.count * outputRate / inputRate + 1000
        var output = [Float](repeating: 0, count: capacity)
        var done = 0
        let error = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                soxr_oneshot(Double(inputRate), Double(outputRate), 1, inBuffer.baseAddress, input.count, nil,
                             outBuffer.baseAddress, capacity, &done, &ioSpec, &quality, &runtime)
            }
        }
        precondition(error == nil, "soxr_oneshot failed")
        return Array(output[0..<done])
    }
}
