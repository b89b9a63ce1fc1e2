import Foundation
import Testing
@testable import TwilioIntelligence

#if canImport(Glibc)
import Glibc
#endif

/// The names downloads stream into, and the sweep that removes only partial downloads of
/// processes no longer running (or, when asked, this process's own).
@Suite struct PartialDownloadsTests {
    @Test func aPartialNameIsHiddenBesideItsDestinationAndNamesItsWriter() {
        let path = PartialDownloads.path(for: "/data/room/RT0001.mka", processID: 4242)
        #expect(path.hasPrefix("/data/room/.RT0001.mka.4242-"))
        #expect(path.hasSuffix(".partial"))
        #expect(path.count == "/data/room/.RT0001.mka.4242-".count + 8 + ".partial".count)
        #expect(PartialDownloads.writer(ofFileNamed: String(path.dropFirst("/data/room/".count))) == 4242)
        #expect(PartialDownloads.path(for: "RT0001.mka", processID: 7).hasPrefix(".RT0001.mka.7-"))
        #expect(PartialDownloads.path(for: "RT0001.mka", processID: 7) != PartialDownloads.path(for: "RT0001.mka", processID: 7))
    }

    @Test func theObjectStoreDownloadNamesAreKnownToo() {
        #expect(PartialDownloads.writer(ofFileNamed: ".RT0001.mka.partial-4242-3735928559") == 4242)
        #expect(PartialDownloads.writer(ofFileNamed: ".call.flac.partial-4242-0.flac") == nil)  // AtomicOutputFile's: swept by merge
        #expect(PartialDownloads.writer(ofFileNamed: ".partial-4242-1") == nil)
        #expect(PartialDownloads.writer(ofFileNamed: ".x.partial-42x-1") == nil)
    }

    @Test(arguments: ["notes.partial", ".partial", ".x.partial", ".x.-1-abc.partial", ".x.abc-1.partial", ".x.12-ab.partial.txt", ".x.0-ab.partial"])
    func otherNamesAreNotPartialDownloads(name: String) {
        #expect(PartialDownloads.writer(ofFileNamed: name) == nil)
    }

    @Test func theSweepRemovesDeadWritersAndOnlyAskedForOwn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("partials-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let deadName = ".RT1.mka.\(dead)-00000000.partial", ownName = ".RT2.mka.\(getpid())-00000000.partial"
        // PID 1 always runs (and, for a non-root user, answers EPERM: still running).
        let liveName = ".RT3.mka.1-00000000.partial"
        for name in [deadName, ownName, liveName, "RT4.mka", "notes.partial"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8)))
        }
        #expect(PartialDownloads.sweep(folder: folder) == [folder + "/" + deadName])
        #expect(PartialDownloads.sweep(folder: folder + "/", includingOwn: true) == [folder + "/" + ownName])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [liveName, "RT4.mka", "notes.partial"].sorted())
        #expect(PartialDownloads.sweep(folder: folder + "/missing") == [])
    }
}
