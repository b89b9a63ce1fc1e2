import Foundation
import Testing
@testable import TwilioTestServer

/// Not a test of correctness but the measurement of scripts/bench-room.sh (which makes the
/// inputs and sets `CALLPREP_BENCH_ROOM`; reported as skipped otherwise): a two-person,
/// 60-minute room served by the Twilio test server on loopback, fetched and merged by
/// `callprep room` (into its temporary folder, and with `--download-dir`), against downloading
/// the same two recordings with curl (both at once, the signed URL followed without
/// credentials) and then `callprep merge --recordings`.
/// `CALLPREP_BENCH_REPEAT` runs of each (5), alternating which goes first; every wall time, the
/// medians and the run-by-run difference (with its 95% interval and a sign test, since the
/// merge's own run-to-run spread is larger than what separates the paths) go to
/// `$CALLPREP_BENCH_ROOM/result.txt`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CALLPREP_BENCH_ROOM"] != nil, "a benchmark: run scripts/bench-room.sh"))
struct RoomBenchmarkTests {
    static let room = "RM" + String(repeating: "b", count: 31) + "0"
    static let alice = "PA" + String(repeating: "b", count: 31) + "1"
    static let bob = "PA" + String(repeating: "b", count: 31) + "2"
    static let aliceRecording = "RT" + String(repeating: "b", count: 31) + "1"
    static let bobRecording = "RT" + String(repeating: "b", count: 31) + "2"

    /// Runs `arguments` (its output to /dev/null), returning the exit status.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        return process
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(between: start, and: ContinuousClock.now)
    }

    static func seconds(between start: ContinuousClock.Instant, and end: ContinuousClock.Instant) -> Double {
        let elapsed = end - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Runs of each path: `CALLPREP_BENCH_REPEAT`, 1 to 41 (5).
    static var repeats: Int { max(1, min(41, Int(ProcessInfo.processInfo.environment["CALLPREP_BENCH_REPEAT"] ?? "") ?? 5)) }

    /// The strict server with the benchmark's room: Alice and Bob, one recording each, made from
    /// `work`'s alice.mka and bob.mka (returned too, to compare with).
    static func serveRoom(work: String) async throws -> (StrictTwilioServer, alice: [UInt8], bob: [UInt8]) {
        let aliceMedia = Array(try Data(contentsOf: URL(fileURLWithPath: work + "/alice.mka")))
        let bobMedia = Array(try Data(contentsOf: URL(fileURLWithPath: work + "/bob.mka")))
        let server = try await StrictTwilioServer.start()
        server.state.configure { $0.signedURLLifetime = 600 }
        server.state.addVideoRoom(sid: Self.room, uniqueName: "bench")
        server.state.addVideoParticipant(room: Self.room, sid: Self.alice, identity: "alice", startTime: "2026-12-01T10:00:00Z")
        server.state.addVideoParticipant(room: Self.room, sid: Self.bob, identity: "bob", startTime: "2026-12-01T10:00:01Z")
        server.state.addVideoRecording(room: Self.room, participant: Self.alice, sid: Self.aliceRecording, media: aliceMedia)
        server.state.addVideoRecording(room: Self.room, participant: Self.bob, sid: Self.bobRecording, media: bobMedia)
        return (server, aliceMedia, bobMedia)
    }

    /// What both measurements start from: the folder of the inputs (`CALLPREP_BENCH_ROOM`), the
    /// binary to time (`CALLPREP_BENCH_BINARY`, else the debug build), the server with the
    /// benchmark room and the environment that points callprep at it.
    static func prepare() async throws -> (work: String, binary: String, server: StrictTwilioServer, alice: [UInt8], bob: [UInt8],
                                           environment: [String: String]) {
        let work = try #require(ProcessInfo.processInfo.environment["CALLPREP_BENCH_ROOM"])
        let binary = ProcessInfo.processInfo.environment["CALLPREP_BENCH_BINARY"] ?? CLI.binary.path
        let (server, alice, bob) = try await serveRoom(work: work)
        return (work, binary, server, alice, bob, RecordingCommandTests.environment(server))
    }

    @Test func roomAgainstCurlThenMerge() async throws {
        let (work, binary, server, aliceMedia, bobMedia, environment) = try await Self.prepare()
        defer { Task { try? await server.stop() } }
        let repeats = Self.repeats
        var roomTimes: [Double] = [], keptTimes: [Double] = [], curlTimes: [Double] = [], handTimes: [Double] = []
        var roomStarts: [Double] = [], handStarts: [Double] = []
        // The two paths alternate (room first on odd runs, by hand first on even ones), so that a
        // slow spell of the machine falls on both.
        for run in 0..<repeats {
            let byHandFirst = run % 2 == 1
            if byHandFirst {
                let (curl, hand) = try Self.byHand(binary: binary, work: work, server: server, environment: environment, mergeStarts: &handStarts)
                curlTimes.append(curl); handTimes.append(hand)
            }
            let (room, kept) = try Self.room(binary: binary, work: work, environment: environment, mergeStarts: &roomStarts)
            roomTimes.append(room); keptTimes.append(kept)
            if !byHandFirst {
                let (curl, hand) = try Self.byHand(binary: binary, work: work, server: server, environment: environment, mergeStarts: &handStarts)
                curlTimes.append(curl); handTimes.append(hand)
            }
        }
        #expect(server.state.withLock { server.state.credentialLeaks.isEmpty })

        let md5 = { (path: String) -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            return (object?["output"] as? [String: Any])?["stream_md5"] as? String
        }
        #expect(md5(work + "/room.manifest.json") != nil)
        #expect(md5(work + "/room.manifest.json") == md5(work + "/hand.manifest.json"))
        #expect(md5(work + "/room-kept.manifest.json") == md5(work + "/hand.manifest.json"))
        let sizes = [aliceMedia.count, bobMedia.count].map { String(format: "%.1f MB", Double($0) / 1e6) }.joined(separator: " + ")
        let merges = zip(handTimes, curlTimes).map { $0 - $1 }
        // Each run's two paths ran back to back, so their difference is less exposed to the
        // machine's slow spells than the medians are.
        let differences = zip(roomTimes, handTimes).map { $0 - $1 }
        let list = { (times: [Double]) in times.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        let list3 = { (times: [Double]) in times.map { String(format: "%.3f", $0) }.joined(separator: " ") }
        let result = """
            inputs: two 60-minute Opus recordings (\(sizes)) on the Twilio test server (loopback); \(repeats) runs, alternating
            callprep room: median \(Self.format(Self.median(roomTimes))) s  [\(list(roomTimes))]
            callprep room --download-dir (kept, fsync'd): median \(Self.format(Self.median(keptTimes))) s  [\(list(keptTimes))]
            curl (list + both media at once): median \(Self.format(Self.median(curlTimes))) s  [\(list(curlTimes))]
            then merge --recordings: median \(Self.format(Self.median(merges))) s  [\(list(merges))]
            curl + merge: median \(Self.format(Self.median(handTimes))) s  [\(list(handTimes))]
            room ÷ (curl + merge), medians: \(String(format: "%.3f", Self.median(roomTimes) / Self.median(handTimes)))
            room − (curl + merge), run by run: median \(String(format: "%+.3f", Self.median(differences))) s; room faster in \(differences.filter { $0 < 0 }.count) of \(differences.count)  [\(differences.map { String(format: "%+.2f", $0) }.joined(separator: " "))]
            room − (curl + merge), run by run: \(PairedDifferences(differences).summary)
            until the merge starts writing (inputs downloaded, opened, scanned): room median \(String(format: "%.3f", Self.median(roomStarts))) s  [\(list3(roomStarts))]; curl + merge median \(String(format: "%.3f", Self.median(handStarts))) s  [\(list3(handStarts))]
            same output: \(md5(work + "/room.manifest.json") == md5(work + "/hand.manifest.json"))

            """
        try Data(result.utf8).write(to: URL(fileURLWithPath: work + "/result.txt"))
    }

    /// One recording's download alone, `callprep recording RT…` (its resource read, then the
    /// media through the 302) against curl -L on the media endpoint, alternating, `CALLPREP_BENCH_REPEAT`
    /// runs of each: where `room`'s download phase stands against curl's. Wall times and medians
    /// go to `$CALLPREP_BENCH_ROOM/download.txt`.
    @Test func downloadAgainstCurl() async throws {
        let (work, binary, server, media, _, environment) = try await Self.prepare()
        defer { Task { try? await server.stop() } }
        let user = "\(environment["TWILIO_ACCOUNT_SID"]!):\(environment["TWILIO_AUTH_TOKEN"]!)"
        var ours: [Double] = [], curls: [Double] = []
        for _ in 0..<Self.repeats {
            var clock = ContinuousClock.now
            let recording = try Self.start(binary, ["recording", Self.aliceRecording, "-o", work + "/dl-ours.mka", "--force", "--allow-http"],
                                           environment: environment)
            recording.waitUntilExit()
            ours.append(Self.seconds(since: clock))
            clock = ContinuousClock.now
            let curl = try Self.start("/usr/bin/curl", ["-sSf", "-L", "-u", user, "-o", work + "/dl-curl.mka",
                                                        "\(server.baseURL)/v1/Rooms/\(Self.room)/Recordings/\(Self.aliceRecording)/Media"],
                                      environment: environment)
            curl.waitUntilExit()
            curls.append(Self.seconds(since: clock))
            #expect(recording.terminationStatus == 0 && curl.terminationStatus == 0)
        }
        let list = { (times: [Double]) in times.map { String(format: "%.3f", $0) }.joined(separator: " ") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: work + "/dl-ours.mka")) == Data(media))
        let result = """
            one recording (\(media.count) bytes), \(ours.count) runs, alternating
            callprep recording: median \(String(format: "%.3f", Self.median(ours))) s  [\(list(ours))]
            curl -L: median \(String(format: "%.3f", Self.median(curls))) s  [\(list(curls))]

            """
        try Data(result.utf8).write(to: URL(fileURLWithPath: work + "/download.txt"))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

    /// `callprep room` as a user runs it (downloads into a temporary folder, removed after the
    /// merge), then with `--download-dir` (a kept folder, so each download is `fsync`'d before
    /// it is renamed into place). Wall seconds of each.
    static func room(binary: String, work: String, environment: [String: String], mergeStarts: inout [Double]) throws -> (Double, Double) {
        try? FileManager.default.removeItem(atPath: work + "/room-dl")
        try FileManager.default.createDirectory(atPath: work + "/room-dl", withIntermediateDirectories: true)
        let watch = MergeStartWatch(folder: work, output: "room.flac")
        var clock = ContinuousClock.now
        let room = try start(binary, ["room", Self.room, "-o", work + "/room.flac", "--allow-http", "--force", "--quiet"],
                             environment: environment)
        room.waitUntilExit()
        let roomSeconds = seconds(since: clock)
        mergeStarts.append(watch.seconds(since: clock) ?? .nan)
        #expect(room.terminationStatus == 0)
        clock = ContinuousClock.now
        let kept = try start(binary, ["room", Self.room, "-o", work + "/room-kept.flac", "--download-dir", work + "/room-dl",
                                      "--allow-http", "--force", "--quiet"], environment: environment)
        kept.waitUntilExit()
        let keptSeconds = seconds(since: clock)
        #expect(kept.terminationStatus == 0)
        return (roomSeconds, keptSeconds)
    }

    /// By hand: the Recordings list and both media files with curl (at once), then `merge
    /// --recordings`. Wall seconds of the downloads, and of downloads and merge together.
    static func byHand(binary: String, work: String, server: StrictTwilioServer, environment: [String: String],
                       mergeStarts: inout [Double]) throws -> (Double, Double) {
        try? FileManager.default.removeItem(atPath: work + "/hand")
        try FileManager.default.createDirectory(atPath: work + "/hand", withIntermediateDirectories: true)
        let watch = MergeStartWatch(folder: work, output: "hand.flac")
        let clock = ContinuousClock.now
        let user = "\(environment["TWILIO_ACCOUNT_SID"]!):\(environment["TWILIO_AUTH_TOKEN"]!)"
        let list = try start("/usr/bin/curl", ["-sSf", "-u", user, "-o", work + "/hand/recordings.json",
                                              "\(server.baseURL)/v1/Rooms/\(Self.room)/Recordings"], environment: environment)
        list.waitUntilExit()
        // -L follows the 302 to the media host; curl sends -u's credentials to the first host only.
        let downloads = try [Self.aliceRecording, Self.bobRecording].map { sid in
            try start("/usr/bin/curl", ["-sSf", "-L", "-u", user, "-o", work + "/hand/\(sid).mka",
                                        "\(server.baseURL)/v1/Rooms/\(Self.room)/Recordings/\(sid)/Media"], environment: environment)
        }
        downloads.forEach { $0.waitUntilExit() }
        let curlSeconds = seconds(since: clock)
        let merge = try start(binary, ["merge", "--recordings", work + "/hand/recordings.json", "-o", work + "/hand.flac",
                                       "--force", "--quiet"], environment: environment)
        merge.waitUntilExit()
        let handSeconds = seconds(since: clock)
        mergeStarts.append(watch.seconds(since: clock) ?? .nan)
        #expect(([list] + downloads + [merge]).allSatisfy { $0.terminationStatus == 0 })
        return (curlSeconds, handSeconds)
    }
}

/// What a set of run-by-run differences (A − B, each pair run back to back) says: their mean
/// with a 95% confidence interval (Student's t, n − 1 degrees of freedom), a sign test (how
/// likely at least this many runs would favour A if neither path were faster) and Wilcoxon's
/// signed-rank test (the same question, weighing each run by the size of its difference but not
/// letting a few slow spells of the machine dominate, as they do the mean).
struct PairedDifferences {
    let values: [Double]

    init(_ values: [Double]) { self.values = values }

    var mean: Double { values.reduce(0, +) / Double(values.count) }

    /// The sample standard deviation (nan for fewer than two values).
    var standardDeviation: Double {
        guard values.count > 1 else { return .nan }
        let mean = self.mean
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }

    /// Student's t for a two-sided 95% interval, by degrees of freedom (1…40; beyond, 2.0).
    static let t975: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042, 2.040, 2.037, 2.035, 2.032, 2.030, 2.028, 2.026, 2.024, 2.023, 2.021,
    ]

    /// The 95% interval of the mean (nan for fewer than two values).
    var interval: (low: Double, high: Double) {
        let freedom = values.count - 1
        guard freedom >= 1 else { return (.nan, .nan) }
        let t = freedom <= Self.t975.count ? Self.t975[freedom - 1] : 2.0
        let half = t * standardDeviation / Double(values.count).squareRoot()
        return (mean - half, mean + half)
    }

    /// P(at least `negatives` of n fair coin flips come up negative): the one-sided sign test
    /// for "A is faster" (ties count against A).
    var signTestP: Double {
        let n = values.count
        let negatives = values.filter { $0 < 0 }.count
        var total = 0.0
        for k in negatives...n { total += Self.binomial(n, k) }
        return total / pow(2, Double(n))
    }

    /// Wilcoxon's signed-rank test, one-sided for "A is faster": zero differences dropped,
    /// magnitudes ranked (ties share their mean rank), the ranks of the negative ones summed and
    /// compared with n(n+1)/4 by the normal approximation (σ² = n(n+1)(2n+1)/24, no tie
    /// correction).
    var signedRankP: Double {
        let nonzero = values.filter { $0 != 0 }
        let n = nonzero.count
        guard n > 0 else { return 1 }
        let order = nonzero.indices.sorted { abs(nonzero[$0]) < abs(nonzero[$1]) }
        var ranks = [Double](repeating: 0, count: n)
        var first = 0
        while first < n {
            var last = first
            while last + 1 < n, abs(nonzero[order[last + 1]]) == abs(nonzero[order[first]]) { last += 1 }
            for position in first...last { ranks[order[position]] = Double(first + last) / 2 + 1 }
            first = last + 1
        }
        let negative = zip(nonzero, ranks).filter { $0.0 < 0 }.map(\.1).reduce(0, +)
        let expected = Double(n * (n + 1)) / 4
        let spread = (Double(n * (n + 1) * (2 * n + 1)) / 24).squareRoot()
        return 0.5 * erfc((negative - expected) / spread / 2.0.squareRoot())
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
    }

    /// "mean -0.249 s, 95% interval -0.411…-0.086 s (n = 21); one-sided p: sign test 0.039, signed-rank 0.004"
    var summary: String {
        let (low, high) = interval
        let range = low.isNaN ? "no interval from one run" : String(format: "95%% interval %+.3f…%+.3f s", low, high)
        return String(format: "mean %+.3f s, ", mean) + range
            + String(format: " (n = %d); one-sided p: sign test %.3f, signed-rank %.3f", values.count, signTestP, signedRankP)
    }
}

/// The moment a merge begins to write: its partial output (`.NAME.partial-…`, made once the
/// inputs are opened and scanned and the plan is made) appearing in `folder`, polled every
/// millisecond from a thread of its own. Everything after it is the same work on both paths of
/// the room benchmark, so the time to it is where `room` and curl + merge differ.
final class MergeStartWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: ContinuousClock.Instant?
    private var stopped = false

    init(folder: String, output name: String) {
        Thread.detachNewThread { [self] in
            while true {
                lock.lock()
                let done = stopped || seen != nil
                lock.unlock()
                if done { return }
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                if names.contains(where: { $0.hasPrefix("." + name + ".partial") }) {
                    lock.lock()
                    seen = ContinuousClock.now
                    lock.unlock()
                    return
                }
                usleep(1000)
            }
        }
    }

    /// Seconds from `start` to the partial output's appearance (nil: never seen); stops polling.
    func seconds(since start: ContinuousClock.Instant) -> Double? {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        return seen.map { RoomBenchmarkTests.seconds(between: start, and: $0) }
    }
}

/// The benchmark's statistics, checked against values worked out by hand (so the verdict the
/// benchmark prints can be trusted): the 21 run-by-run differences of 2026-12-07.
struct PairedDifferencesTests {
    static let differences = [
        +0.19, -0.46, -0.77, -0.51, -0.44, -0.23, +0.14, +0.09, -0.80, -0.16, -0.81,
        -0.27, -0.15, -0.02, -0.55, -0.67, +0.41, +0.14, -0.03, +0.02, -0.34,
    ]

    @Test func meanIntervalAndSignTest() {
        let paired = PairedDifferences(Self.differences)
        #expect(abs(paired.mean - (-5.22 / 21)) < 1e-12)
        #expect(abs(paired.standardDeviation - 0.35713) < 1e-4)
        // t(0.975, 20) = 2.086: −0.24857 ± 2.086 × 0.35713 / √21
        #expect(abs(paired.interval.low - (-0.41114)) < 1e-4)
        #expect(abs(paired.interval.high - (-0.08600)) < 1e-4)
        // 15 of 21 negative: (C(21,15) + … + C(21,21)) / 2^21 = 82160 / 2097152
        #expect(abs(paired.signTestP - 82160.0 / 2_097_152) < 1e-12)
        // Ranks of the 21 magnitudes (0.02 twice: 1.5 each; 0.14 twice: 5.5 each); the negative
        // ones sum to 192.5 against n(n+1)/4 = 115.5, σ = √(21·22·43/24) = 28.7706:
        // z = 2.6763, p = ½·erfc(z/√2) = 0.003722.
        #expect(abs(paired.signedRankP - 0.0037216) < 1e-6)
        #expect(paired.summary == "mean -0.249 s, 95% interval -0.411…-0.086 s (n = 21); one-sided p: sign test 0.039, signed-rank 0.004")
    }

    @Test func fewerThanTwoRunsHaveNoInterval() {
        let one = PairedDifferences([0.5])
        #expect(one.interval.low.isNaN && one.interval.high.isNaN)
        #expect(one.signTestP == 1)
        #expect(PairedDifferences([0, 0]).signedRankP == 1)
        #expect(one.summary == "mean +0.500 s, no interval from one run (n = 1); one-sided p: sign test 1.000, signed-rank 0.841")
    }
}
