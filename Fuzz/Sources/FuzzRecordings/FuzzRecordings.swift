// merge --recordings: Twilio's Recordings list JSON (TwilioRecordingList), then the files matched
// to it (TwilioRecordingFiles, one named after each recording) and the channel grouping
// (TwilioRoomMerge) merge and room build from it.
import AudioPrep
import Foundation
import FuzzSupport

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let json = Data(fuzzInput(data, size))
    do {
        let list = try TwilioRecordingList(pages: [json], path: "recordings.json")
        for recording in list.recordings {
            let offset = list.offsetNanoseconds(of: recording)
            precondition(offset >= 0, "fuzz: negative offset \(offset) for \(recording.sid)")
        }
        let files = list.recordings.prefix(64).map { "\($0.sid).mka" }
        let located = try TwilioRecordingFiles(list: list, files: Array(files), folder: ".")
        _ = try TwilioRoomMerge(roomSID: nil, recordings: located.recordings, participants: [])
    } catch {
        // A refusal naming the problem.
    }
    return 0
}
