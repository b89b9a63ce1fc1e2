import AudioPrep
import Foundation
import Testing

@Suite struct MergerTests {
    /// Two 16-bit mono 16 kHz tracks of different lengths, written as WAV.
    private struct Pair {
        var folder: URL
        var first: [Int16]
        var second: [Int16]
        var firstPath: String
        var secondPath: String

        init(firstFrames: Int = 48_000, secondFrames: Int = 37_123, rate: Int = 16000) throws {
            folder = try TestFiles.temporaryDirectory()
            first = MergeTestAudio.speechLike(frames: firstFrames, rate: rate, seed: 21)
            second = MergeTestAudio.speechLike(frames: secondFrames, rate: rate, seed: 22, amplitude: 0.9)
            first[10] = .max
            second[10] = .min
            firstPath = folder.appendingPathComponent("agent.wav").path
            secondPath = folder.appendingPathComponent("customer.wav").path
            try MergeTestAudio.writeWAV16(firstPath, rate: rate, channels: 1, samples: first)
            try MergeTestAudio.writeWAV16(secondPath, rate: rate, channels: 1, samples: second)
        }

        func output(_ name: String = "out.flac") -> String { folder.appendingPathComponent(name).path }
        func cleanUp() { try? FileManager.default.removeItem(at: folder) }
    }

    /// `samples` placed after `lead` zeros, padded with zeros to `total`.
    private func placed(_ samples: [Int16], lead: Int, total: Int) -> [Int16] {
        [Int16](repeating: 0, count: lead) + samples + [Int16](repeating: 0, count: total - lead - samples.count)
    }

    @Test(arguments: ["start", "end", "offsets"])
    func sameRate16BitInputsArePlacedSampleForSample(mode: String) throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let alignment: AlignmentMode
        let leads: (Int, Int)
        switch mode {
        case "start": alignment = .start; leads = (0, 0)
        case "end": alignment = .end; leads = (0, 48_000 - 37_123)
        default: alignment = .offsets([0.25, 1.5]); leads = (4000, 24_000)
        }
        let total = max(leads.0 + 48_000, leads.1 + 37_123)
        let configuration = MergeConfiguration(
            inputs: [pair.firstPath, pair.secondPath], output: pair.output(), alignment: alignment, encoderThreads: 2)
        let manifest = try Merger(configuration: configuration).run()
        let decoded = try MergeTestAudio.read16(pair.output())
        #expect(decoded.rate == 16000)
        #expect(decoded.channels == 2)
        #expect(decoded.frames == total)
        #expect(decoded.channel(0) == placed(pair.first, lead: leads.0, total: total))
        #expect(decoded.channel(1) == placed(pair.second, lead: leads.1, total: total))
        #expect(manifest.output.frames == Int64(total))
        #expect(manifest.channels.map(\.leadFrames) == [Int64(leads.0), Int64(leads.1)])
        #expect(manifest.channels.map(\.tailFrames) == [Int64(total - leads.0 - 48_000), Int64(total - leads.1 - 37_123)])
        #expect(manifest.inputs.map(\.resampled) == [false, false])
    }

    @Test func ffmpegWithACorrectGraphDecodesToTheSameSamples() throws {
        // ffmpeg is a test dependency (scripts/install-deps.sh): missing, the test fails, never passes unchecked.
        let ffmpeg = try #require(TestFiles.which("ffmpeg"), "ffmpeg is not installed: run scripts/install-deps.sh")
        let pair = try Pair()
        defer { pair.cleanUp() }
        // Track 2 delayed by 0.5 s (8000 frames); both padded to the longer; 16-bit; same rate.
        let configuration = MergeConfiguration(
            inputs: [pair.firstPath, pair.secondPath], output: pair.output(), alignment: .offsets([0, 0.5]))
        _ = try Merger(configuration: configuration).run()
        let total = max(48_000, 8000 + 37_123)
        let reference = pair.output("ffmpeg.flac")
        _ = try TestFiles.run(ffmpeg, [
            "-v", "error", "-y", "-i", pair.firstPath, "-i", pair.secondPath, "-filter_complex",
            // (aformat pins both branches to mono s16 16 kHz, else amerge cannot negotiate after adelay.)
            "[0:a]aformat=sample_fmts=s16:sample_rates=16000:channel_layouts=mono,apad=whole_len=\(total)[a0];"
                + "[1:a]adelay=delays=8000S:all=1,aformat=sample_fmts=s16:sample_rates=16000:channel_layouts=mono,"
                + "apad=whole_len=\(total)[a1];[a0][a1]amerge=inputs=2[a]",
            "-map", "[a]", "-sample_fmt", "s16", "-ar", "16000", "-c:a", "flac", reference,
        ])
        let ours = try MergeTestAudio.read16(pair.output())
        let theirs = try MergeTestAudio.read16(reference)
        #expect(theirs.channels == 2)
        #expect(theirs.frames == total)
        #expect(ours.samples == theirs.samples)
    }

    @Test func stereo44kInputIsDownmixedAndResampledToTheExactLength() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        // 2 s of 44.1 kHz stereo: left and right differ, so the downmix matters.
        let frames = 88_323
        let left = MergeTestAudio.speechLike(frames: frames, rate: 44_100, seed: 31)
        let right = MergeTestAudio.speechLike(frames: frames, rate: 44_100, seed: 32)
        let stereoPath = pair.folder.appendingPathComponent("stereo44.wav").path
        try MergeTestAudio.writeWAV16(stereoPath, rate: 44_100, channels: 2, samples: zip(left, right).flatMap { [$0, $1] })
        let configuration = MergeConfiguration(inputs: [pair.firstPath, stereoPath], output: pair.output())
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == 32_045)  // round(88 323 × 16000 / 44100)
        #expect(manifest.inputs[1].downmixed && manifest.inputs[1].resampled)
        let decoded = try MergeTestAudio.read16(pair.output())
        #expect(decoded.frames == 48_000)
        #expect(decoded.channel(0) == pair.first)  // the 16 kHz mono track is untouched

        // Reference: the same average resampled by libsoxr in one shot; the merged channel is that
        // signal quantized with ±1 LSB TPDF dither, so every sample is within 2 LSB of it.
        let average = zip(left, right).map { (Float($0) + Float($1)) / 2 / 32768 }
        let reference = SoxrReference.resample(average, from: 44_100, to: 16_000)
        #expect(reference.count == 32_045)
        let channel = decoded.channel(1)
        var worst: Float = 0
        for (value, exact) in zip(channel, reference) {
            worst = max(worst, abs(Float(value) - exact * 32768))
        }
        #expect(worst <= 2, "largest deviation \(worst) LSB")
        #expect(decoded.channel(1)[32_045...].allSatisfy { $0 == 0 })
    }

    /// 16-bit mono FLAC inputs at the output rate (decoded by libFLAC directly) come out bit for
    /// bit: each channel equals the WAV twin's 16-bit samples.
    @Test func sameRate16BitFLACInputsPassThroughBitForBit() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let configuration = MergeConfiguration(
            inputs: [TestFiles.audio("call/agent.flac"), TestFiles.audio("call/customer.flac")],
            output: pair.output(), alignment: .start, writeManifest: false)
        _ = try Merger(configuration: configuration).run()
        let decoded = try MergeTestAudio.read16(pair.output())
        let agent = try MergeTestAudio.read16(TestFiles.audio("call/agent.wav")).samples
        let customer = try MergeTestAudio.read16(TestFiles.audio("call/customer.wav")).samples
        #expect(decoded.rate == 16000)
        #expect(decoded.frames == 267_763)
        #expect(decoded.channel(0) == agent)
        #expect(decoded.channel(1) == placed(customer, lead: 0, total: 267_763))
    }

    @Test func mp3WithoutXingHeaderIsMergedAtItsFullLength() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let mp3 = TestFiles.audio("call/customer-vbr-noxing.mp3")
        let info = try AudioProbe.probe(path: mp3)
        let configuration = MergeConfiguration(
            inputs: [pair.firstPath, mp3], output: pair.output(), sampleRate: .fixed(info.sampleRate))
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == info.frames)
        #expect(manifest.inputs[1].lengthSource == "frame_scan")
        // libsndfile would have stopped early (AUDIO-NOTES §4); the decoded channel has signal to the end.
        let decoded = try MergeTestAudio.read16(pair.output())
        let lastSecond = decoded.channel(1)[Int(info.frames) - info.sampleRate..<Int(info.frames)]
        #expect(lastSecond.contains { $0 != 0 })
    }

    @Test func floatInputIsDitheredReproducibly() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let floatPath = pair.folder.appendingPathComponent("float.wav").path
        let samples = (0..<40_000).map { Float(sin(Double($0) * 0.01) * 0.3 + 0.000_01) }
        try MergeTestAudio.writeWAVFloat(floatPath, rate: 16000, channels: 1, samples: samples)
        var outputs: [Data] = []
        for name in ["a.flac", "b.flac"] {
            let configuration = MergeConfiguration(inputs: [floatPath, pair.secondPath], output: pair.output(name), writeManifest: false)
            _ = try Merger(configuration: configuration).run()
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: pair.output(name))))
        }
        #expect(outputs[0] == outputs[1])
        // Dithered to within ±1.5 LSB of the exact value.
        let channel = try MergeTestAudio.read16(pair.output("a.flac")).channel(0)
        for (value, sample) in zip(channel, samples) {
            #expect(abs(Double(value) - Double(sample) * 32768) <= 1.5)
        }
    }

    @Test func manifestCarriesHashesChannelMapAndPlacement() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let agent = ChannelParticipant(channelParticipant: 1, userID: "a-42", email: "alice@example.com", fullName: "Alice Agent", role: "Agent")
        let configuration = MergeConfiguration(
            inputs: [pair.firstPath, pair.secondPath], output: pair.output(), participants: [agent])
        let manifest = try Merger(configuration: configuration).run()
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pair.output("out.manifest.json")))) as! [String: Any]
        let participants = written["participants"] as! [[String: Any]]
        #expect(participants.count == 2)
        #expect(participants[0]["channel_participant"] as? Int == 1)
        #expect(participants[0]["user_id"] as? String == "a-42")
        #expect(participants[0]["full_name"] as? String == "Alice Agent")
        #expect(participants[0]["email"] as? String == "alice@example.com")
        #expect(participants[1]["channel_participant"] as? Int == 2)
        #expect(participants[1]["role"] as? String == "Customer")
        #expect(Set(participants[0].keys).isSubset(of: ["channel_participant", "user_id", "media_participant_id", "email", "full_name", "image_url", "role"]))
        #expect(manifest.inputs[0].sha256 == (try FileDigest.sha256(path: pair.firstPath)))
        #expect(manifest.output.sha256 == (try FileDigest.sha256(path: pair.output())))
        #expect(manifest.output.sizeBytes == (try FileDigest.size(path: pair.output())))
        #expect(manifest.validation?.accepted == true)
        #expect(manifest.validation?.problems.isEmpty == true)
        let channels = written["channels"] as! [[String: Any]]
        #expect(channels[1]["tail_frames"] as? Int == 48_000 - 37_123)
    }

    // MARK: - Refusals: a clear error and no output file

    private func expectRefusal(
        _ code: AudioPrepError.Code, in pair: Pair, inputs: [String], output: String? = nil, overwrite: Bool = false,
        before: [String]? = nil
    ) throws {
        let before = try before ?? MergeTestAudio.contents(of: pair.folder)
        let configuration = MergeConfiguration(inputs: inputs, output: output ?? pair.output(), overwrite: overwrite)
        do {
            _ = try Merger(configuration: configuration).run()
            Issue.record("expected \(code)")
        } catch {
            #expect(error.code == code)
            #expect(error.message.count > 20)
        }
        #expect(try MergeTestAudio.contents(of: pair.folder) == before)
    }

    @Test func unreadableTrackLeavesNoOutput() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        try expectRefusal(.unsupportedFormat, in: pair, inputs: [pair.firstPath, TestFiles.audio("edge/text.wav")])
        try expectRefusal(.fileNotFound, in: pair, inputs: [pair.firstPath, pair.folder.appendingPathComponent("missing.wav").path])
    }

    @Test func trackBelow8kHzIsRefused() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        try expectRefusal(.outOfLimits, in: pair, inputs: [TestFiles.audio("edge/rate-6k.wav"), pair.secondPath])
    }

    @Test func outputThatIsAnInputIsRefused() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let original = try Data(contentsOf: URL(fileURLWithPath: pair.secondPath))
        try expectRefusal(.outputIsInput, in: pair, inputs: [pair.firstPath, pair.secondPath], output: pair.secondPath, overwrite: true)
        // Same file through another spelling of the path.
        let other = pair.folder.appendingPathComponent("./../\(pair.folder.lastPathComponent)/customer.wav").path
        try expectRefusal(.outputIsInput, in: pair, inputs: [pair.firstPath, pair.secondPath], output: other, overwrite: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: pair.secondPath)) == original)
    }

    @Test func existingOutputNeedsOverwrite() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: pair.output()))
        try expectRefusal(.outputExists, in: pair, inputs: [pair.firstPath, pair.secondPath])
        #expect(try String(contentsOfFile: pair.output(), encoding: .utf8) == "keep me")
        let configuration = MergeConfiguration(inputs: [pair.firstPath, pair.secondPath], output: pair.output(), overwrite: true)
        _ = try Merger(configuration: configuration).run()
        #expect(try MergeTestAudio.read16(pair.output()).frames == 48_000)
    }

    /// With --force, an output or manifest path naming a FIFO or a folder is refused before any
    /// work, and the node is left as it was (rename(2) would have replaced it; as root, -o
    /// /dev/null would have replaced the device).
    @Test func outputPathsThatAreNotFilesAreRefusedEvenWithForce() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let fifo = pair.output("pipe.flac")
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createDirectory(atPath: pair.output("folder.flac"), withIntermediateDirectories: false)
        try expectRefusal(.notAFile, in: pair, inputs: [pair.firstPath, pair.secondPath], output: fifo, overwrite: true)
        try expectRefusal(
            .notAFile, in: pair, inputs: [pair.firstPath, pair.secondPath], output: pair.output("folder.flac"), overwrite: true)
        #expect(mkfifo(pair.output("named.manifest.json"), 0o600) == 0)
        try expectRefusal(
            .notAFile, in: pair, inputs: [pair.firstPath, pair.secondPath], output: pair.output("named.flac"), overwrite: true)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func durationsOutsideIntelligenceLimitsAreRefusedBeforeDecoding() throws {
        let pair = try Pair()
        defer { pair.cleanUp() }
        let short = TestFiles.audio("edge/short-1s.wav")
        try expectRefusal(.outOfLimits, in: pair, inputs: [short, short])
        // 8 h 0 min 1 s of (sparse) 8 kHz 16-bit mono: refused from the header, without decoding.
        let long = pair.folder.appendingPathComponent("long.wav")
        try TestFiles.writeSparseWAV(at: long, sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: UInt32((8 * 3600 + 1) * 8000 * 2))
        try expectRefusal(.outOfLimits, in: pair, inputs: [long.path, pair.secondPath])
    }

    @Test func cancellationLeavesNothing() throws {
        let pair = try Pair(firstFrames: 16000 * 60, secondFrames: 16000 * 50)
        defer { pair.cleanUp() }
        let before = try MergeTestAudio.contents(of: pair.folder)
        let cancellation = MergeCancellation()
        var reports = 0
        let configuration = MergeConfiguration(inputs: [pair.firstPath, pair.secondPath], output: pair.output())
        let merger = Merger(configuration: configuration)
        do {
            _ = try merger.run(cancellation: cancellation) { progress in
                reports += 1
                #expect(progress.framesDone > 0 && progress.framesDone <= progress.totalFrames)
                cancellation.cancel()  // stop at the first report
            }
            // Very fast machines may finish before the first report; then it must be complete.
            #expect(reports > 0)
        } catch {
            #expect(error.code == .cancelled)
            #expect(try MergeTestAudio.contents(of: pair.folder) == before)
        }
    }
}

/// The output is checked with the signal rules too, from levels measured while it was written.
@Suite struct MergerOutputSignalTests {
    func merge(_ first: [Int16], _ second: [Int16]) throws -> MergeManifest {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.wav").path, b = dir.appendingPathComponent("b.wav").path
        try MergeTestAudio.writeWAV16(a, rate: 16000, channels: 1, samples: first)
        try MergeTestAudio.writeWAV16(b, rate: 16000, channels: 1, samples: second)
        return try Merger(configuration: MergeConfiguration(inputs: [a, b], output: dir.appendingPathComponent("out.flac").path)).run()
    }

    @Test func aSilentParticipantIsReported() throws {
        let speech = MergeTestAudio.speechLike(frames: 48_000, rate: 16000, seed: 7)
        let manifest = try merge(speech, [Int16](repeating: 0, count: 40_000))
        let validation = try #require(manifest.validation)
        #expect(validation.accepted)
        #expect(validation.problems.map(\.code) == ["silent_channel"])
        #expect(validation.problems[0].message.contains("channel 2"))
    }

    @Test func theSameTrackTwiceIsReported() throws {
        let speech = MergeTestAudio.speechLike(frames: 48_000, rate: 16000, seed: 7)
        let manifest = try merge(speech, speech)
        #expect(manifest.validation?.problems.map(\.code) == ["identical_channels"])
    }

    @Test func twoDifferentParticipantsAreClean() throws {
        let manifest = try merge(
            MergeTestAudio.speechLike(frames: 48_000, rate: 16000, seed: 7),
            MergeTestAudio.speechLike(frames: 40_000, rate: 16000, seed: 8))
        #expect(manifest.validation?.problems.isEmpty == true)
    }
}
