import AudioPrep
import Foundation
import Testing

/// A merge is planned from each reader's announced length; a decoder that delivers more (a
/// reader that under-counted) or less must fail the merge, never exit with audio cut off or
/// padded silently. Driven through `Merger` with a `MergeInputReader` whose sources lie.
@Suite struct PlannedLengthSourceTests {
    /// What the reader says about a track and what its decoder then delivers.
    struct Script: Sendable {
        var rate = 16000
        var announced: Int64
        var delivered: Int64
    }

    /// Runs a merge of two tracks scripted by file name; the files exist (the merge checks and
    /// hashes them) but their bytes are never decoded.
    private func merge(_ first: Script, _ second: Script) throws -> (Result<MergeManifest, AudioPrepError>, output: String, folder: URL) {
        let folder = try TestFiles.temporaryDirectory()
        let paths = ["agent.raw", "customer.raw"].map { folder.appendingPathComponent($0).path }
        for path in paths { try Data("scripted".utf8).write(to: URL(fileURLWithPath: path)) }
        let scripts = [paths[0]: first, paths[1]: second]
        let reader = MergeInputReader { path throws(AudioPrepError) in
            guard let script = scripts[path] else { throw AudioPrepError(.fileNotFound, path: path, "not scripted") }
            let info = AudioInfo(
                container: .wav, codec: "pcm_f32le", sampleRate: script.rate, channels: 1, frames: script.announced,
                bitsPerSample: 32, sizeBytes: 8)
            return AudioInput(
                info: info, source: ScriptedPCMSource(rate: script.rate, announcedFrames: script.announced, deliveredFrames: script.delivered))
        }
        let output = folder.appendingPathComponent("out.flac").path
        let configuration = MergeConfiguration(inputs: paths, output: output, alignment: .start, encoderThreads: 2)
        let result = Result { () throws(AudioPrepError) in try Merger(configuration: configuration, reader: reader).run() }
        return (result, output, folder)
    }

    @Test func honestLengthsMergeEveryFrame() throws {
        let (result, output, folder) = try merge(.init(announced: 48_000, delivered: 48_000), .init(announced: 40_000, delivered: 40_000))
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try result.get()
        #expect(manifest.channels.map(\.contentFrames) == [48_000, 40_000])
        #expect(manifest.output.frames == 48_000)
        let decoded = try MergeTestAudio.read16(output)
        #expect(decoded.frames == 48_000)
        let second = decoded.channel(1)
        // The ramp is at least 1/2000 of full scale (16 LSB): every delivered frame is non-zero,
        // the tail after frame 40 000 is padding.
        #expect(second[0..<40_000].allSatisfy { $0 != 0 })
        #expect(second[40_000...].allSatisfy { $0 == 0 })
    }

    @Test(arguments: [
        (announced: Int64(40_000), delivered: Int64(52_000)),  // 0.75 s more than announced
        (announced: Int64(40_000), delivered: Int64(40_001)),  // one frame more
        (announced: Int64(0), delivered: Int64(40_000)),       // "empty" by the header, not by the data
    ])
    func aDecoderThatDeliversMoreThanAnnouncedFailsTheMerge(announced: Int64, delivered: Int64) throws {
        let (result, output, folder) = try merge(.init(announced: 48_000, delivered: 48_000), .init(announced: announced, delivered: delivered))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: AudioPrepError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.code == .decodeFailed)
            #expect(error.message.contains("track 2 decodes to more than the \(announced) frames its reader announced"))
            #expect(error.path == folder.appendingPathComponent("customer.raw").path)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aResampledDecoderThatDeliversMoreThanAnnouncedFailsTheMerge() throws {
        // 8 kHz → 16 kHz: the resampler pulls its input to the end, and the extra frames are caught there.
        let (result, output, folder) = try merge(
            .init(announced: 48_000, delivered: 48_000), .init(rate: 8000, announced: 20_000, delivered: 26_000))
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = result else {
            Issue.record("the merge succeeded and dropped 6000 decodable frames")
            return
        }
        #expect(error.code == .decodeFailed)
        #expect(error.message.contains("more than the 20000 frames"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(arguments: [Int64(30_000), Int64(39_999), Int64(0)])
    func aDecoderThatEndsEarlyFailsTheMerge(delivered: Int64) throws {
        let (result, output, folder) = try merge(.init(announced: 48_000, delivered: 48_000), .init(announced: 40_000, delivered: delivered))
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = result else {
            Issue.record("the merge succeeded with \(40_000 - delivered) frames of silence where audio was announced")
            return
        }
        #expect(error.code == .decodeFailed)
        #expect(error.message.contains("track 2 ended after \(delivered) of the 40000 frames its reader announced"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aReaderThatAnnouncesAnAbsurdLengthIsRefusedBeforeDecoding() throws {
        let (result, output, folder) = try merge(
            .init(announced: 48_000, delivered: 48_000), .init(announced: Int64(1) << 50, delivered: 40_000))
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = result else {
            Issue.record("a length of 2^50 frames was accepted")
            return
        }
        #expect(error.code == .corruptFile)
        #expect(error.message.contains("the length is \(Int64(1) << 50) frames"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
