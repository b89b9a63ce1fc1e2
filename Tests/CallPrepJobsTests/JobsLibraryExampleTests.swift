import CallPrepJSON
import CallPrepJobs
import Foundation
import Testing

/// Docs/Jobs.md's library example, run as written (in a temporary folder), with what it prints
/// captured and compared with the comments in the doc.
@Suite struct JobsLibraryExampleTests {
    @Test func runsAsDocumented() async throws {
        let database = try TemporaryDatabase()
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // The body of the Docs/Jobs.md example, unchanged but for the file's folder.
        let store = try SQLiteJobStore(path: database.folder.appendingPathComponent("callprep-jobs.sqlite").path)
        for line in JobSpecReader.lines(of: #"{"id": "call-1", "tracks": ["agent.wav", "customer.wav"]}"#) {
            switch line.result {
            case .success(let spec): print(spec.id, try await store.add(spec, replace: false))  // call-1 added
            case .failure(let error): print(error)
            }
        }
        if let lease = try await store.claim(workerID: "worker-1", leaseDuration: .seconds(60)) {
            let run = try await store.startStep(.validate, lease: lease)
            _ = try await store.finishStep(run, outputs: .object(["ok": .bool(true)]), lease: lease)
            try await store.complete(lease)
        }
        print(try await store.status().counts[.done] ?? 0)  // 1

        #expect(printed == ["call-1 added", "1"])
    }
}
