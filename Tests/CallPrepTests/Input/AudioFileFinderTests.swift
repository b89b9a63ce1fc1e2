import Foundation
import Testing

/// Folder arguments to `validate`: which files are found, in which order.
@Suite struct AudioFileFinderTests {
    private func paths(_ out: CLI.Output) throws -> [String] {
        let array = try #require(try out.json() as? [[String: Any]])
        return array.compactMap { $0["path"] as? String }
    }

    /// A folder of recordings with the things that sit beside them in real life.
    private func recordingsFolder() throws -> ScratchFolder {
        let folder = try ScratchFolder()
        try folder.copy("call/agent.mp3", as: "B.mp3")
        try folder.copy("edge/dual-channel.wav", as: "a.wav")
        try folder.copy("call/customer.flac", as: "b.flac")
        try folder.copy("call/customer.wav", as: "recording-without-extension")
        try folder.write("not audio\n", as: "fake.wav")
        try folder.write("call notes\n", as: "notes.txt")
        try folder.write("{}\n", as: "call.manifest.json")
        try folder.copy("call/agent.flac", as: ".o.flac.partial-123-0.flac")
        try folder.copy("call/agent.wav", as: "sub/c.wav")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link-to-sub", withDestinationPath: folder.path + "/sub")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link-to-b.flac", withDestinationPath: folder.path + "/b.flac")
        return folder
    }

    @Test func aFolderStandsForItsAudioFilesSortedByPath() throws {
        let folder = try recordingsFolder()
        let out = try CLI.run(["validate", "--json", "--skip-signal-checks", folder.path + "/"])
        // fake.wav is named as audio, so it is checked (and fails); the file without an extension
        // is audio by content; notes, manifest, hidden partial output and subfolders are not.
        #expect(try paths(out) == ["B.mp3", "a.wav", "b.flac", "fake.wav", "link-to-b.flac", "recording-without-extension"].map { folder.path + "/" + $0 })
        #expect(out.status == 1)
        let array = try #require(try out.json() as? [[String: Any]])
        #expect(array.map { $0["accepted"] as? Bool } == [true, true, true, false, true, true])
    }

    @Test func recursiveSearchesSubfoldersButNotLinksToFolders() throws {
        let folder = try recordingsFolder()
        let out = try CLI.run(["validate", "--json", "--skip-signal-checks", "--recursive", folder.path])
        #expect(try paths(out) == [
            "B.mp3", "a.wav", "b.flac", "fake.wav", "link-to-b.flac", "recording-without-extension", "sub/c.wav",
        ].map { folder.path + "/" + $0 })
    }

    @Test func filesAndFoldersKeepTheirArgumentOrder() throws {
        let folder = try ScratchFolder()
        try folder.copy("call/customer.flac", as: "z/2.flac")
        try folder.copy("call/agent.flac", as: "z/1.flac")
        let out = try CLI.run(["validate", "--skip-signal-checks", "TestAudio/edge/dual-channel.wav", folder.path + "/z", "TestAudio/call/agent.wav"])
        #expect(out.status == 0)
        let verdicts = out.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" } }
        #expect(verdicts == ["TestAudio/edge/dual-channel.wav", "\(folder.path)/z/1.flac", "\(folder.path)/z/2.flac", "TestAudio/call/agent.wav"])
    }

    @Test func aFolderWithoutAudioIsAnError() throws {
        let folder = try ScratchFolder()
        try folder.write("call notes\n", as: "notes.txt")
        try folder.copy("edge/dual-channel.wav", as: "deeper/a.wav")
        let out = try CLI.run(["validate", folder.path])
        #expect(out.status == 1)
        #expect(out.stdout == """
            \(folder.path): REJECTED
              error [no_audio_files]: the folder holds no audio files (none named .wav, .flac, .mp3, … and none whose content is audio); pass the folder that holds the recordings, or add --recursive to search its subfolders.

            """)
        let recursive = try CLI.run(["validate", "--recursive", folder.path])
        #expect(recursive.status == 0)
        #expect(recursive.stdout.hasPrefix("\(folder.path)/deeper/a.wav: OK — wav/pcm_s16le"))

        let empty = try ScratchFolder()
        let github = try CLI.run(["validate", "--format", "github", "--recursive", empty.path])
        #expect(github.status == 1)
        #expect(github.stdout.hasPrefix("::error file=\(empty.path),title=no_audio_files::the folder and its subfolders hold no audio files"))
    }
}
