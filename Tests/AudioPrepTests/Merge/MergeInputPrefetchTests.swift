import AudioPrep
import Foundation
import Synchronization
import Testing

/// `MergeInputPrefetch`: inputs opened ahead on threads of their own, handed to the merge once,
/// with the same result (and the same errors) as the merge's own opening.
@Suite struct MergeInputPrefetchTests {
    /// A reader that counts its opens per path.
    private final class CountingReader: Sendable {
        let opens = Mutex<[String: Int]>([:])
        var reader: MergeInputReader {
            MergeInputReader(open: { path throws(AudioPrepError) in
                self.opens.withLock { $0[path, default: 0] += 1 }
                return try MergeInputReader.standard.open(path)
            })
        }
        func count(_ path: String) -> Int { opens.withLock { $0[path] ?? 0 } }
    }

    static let alice = TestFiles.audio("video/room-alice.mka")
    static let bob = TestFiles.audio("video/room-bob.mka")

    /// A started path is opened once, on its own thread, and handed out once; a second open of
    /// the same path (nothing left ahead) goes to the base reader; the facts are the file's.
    @Test func aStartedInputIsOpenedOnceAndHandedOutOnce() throws {
        let counting = CountingReader()
        let prefetch = MergeInputPrefetch(reader: counting.reader)
        prefetch.start(Self.alice)
        prefetch.start(Self.alice)  // already opening: not opened twice
        let first = try prefetch.reader.open(Self.alice)
        #expect(counting.count(Self.alice) == 1)
        let direct = try AudioInput.open(path: Self.alice)
        #expect(first.info.frames == direct.info.frames)
        #expect(first.info.frames > 0)
        #expect(first.source.frameCount == direct.source.frameCount)
        _ = try prefetch.reader.open(Self.alice)
        #expect(counting.count(Self.alice) == 2)
        _ = try prefetch.reader.open(Self.bob)  // never started: opened on this thread
        #expect(counting.count(Self.bob) == 1)
    }

    /// A file that fails to open ahead fails the merge's open with the same error, when asked.
    @Test func aFailureAheadIsThrownWhenTheInputIsAskedFor() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("gone.mka").path
        let prefetch = MergeInputPrefetch()
        prefetch.start(missing)
        var direct: AudioPrepError?
        do { _ = try AudioInput.open(path: missing) } catch { direct = error }
        #expect(direct != nil)
        #expect {
            _ = try prefetch.reader.open(missing)
        } throws: { error in
            (error as? AudioPrepError)?.code == direct?.code && (error as? AudioPrepError)?.message == direct?.message
        }
    }

    /// A merge whose inputs were opened ahead writes the same samples and manifest facts as one
    /// that opens them itself.
    @Test func aMergeFromPrefetchedInputsIsTheSame() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefetch = MergeInputPrefetch()
        prefetch.start(Self.bob)
        prefetch.start(Self.alice)
        let ahead = try Merger(
            configuration: MergeConfiguration(inputs: [Self.alice, Self.bob], output: folder.appendingPathComponent("ahead.flac").path),
            reader: prefetch.reader).run()
        let own = try Merger(
            configuration: MergeConfiguration(inputs: [Self.alice, Self.bob], output: folder.appendingPathComponent("own.flac").path)).run()
        #expect(ahead.output.streamMD5 == own.output.streamMD5)
        #expect(ahead.output.frames == own.output.frames)
        #expect(ahead.output.frames > 0)
        #expect(ahead.inputs.map(\.sha256) == own.inputs.map(\.sha256))
        #expect(own.inputs.map(\.sha256) == [try FileDigest.sha256(path: Self.alice), try FileDigest.sha256(path: Self.bob)])
    }

    /// A hash given with a path (a download's) is what the manifest records: the merge does not
    /// read the file again for it; a path without one is hashed by the merge.
    @Test func aKnownHashGoesToTheManifestAsGiven() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefetch = MergeInputPrefetch()
        let given = String(repeating: "ab", count: 32)
        prefetch.start(Self.alice, sha256: given)
        prefetch.start(Self.bob)
        let manifest = try Merger(
            configuration: MergeConfiguration(inputs: [Self.alice, Self.bob], output: folder.appendingPathComponent("out.flac").path),
            reader: prefetch.reader).run()
        #expect(manifest.inputs.map(\.sha256) == [given, try FileDigest.sha256(path: Self.bob)])
    }

    /// A given hash that is not a SHA-256 digest (wrong length, upper case, not hex) is ignored:
    /// the merge hashes the file itself.
    @Test(arguments: ["", "abc", String(repeating: "AB", count: 32), String(repeating: "zz", count: 32)])
    func aMalformedKnownHashIsIgnored(given: String) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefetch = MergeInputPrefetch()
        prefetch.start(Self.alice, sha256: given)
        let manifest = try Merger(
            configuration: MergeConfiguration(inputs: [Self.alice, Self.bob], output: folder.appendingPathComponent("out.flac").path),
            reader: prefetch.reader).run()
        #expect(manifest.inputs.map(\.sha256) == [try FileDigest.sha256(path: Self.alice), try FileDigest.sha256(path: Self.bob)])
    }
}
