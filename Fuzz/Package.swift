// swift-tools-version: 6.1
import Foundation
import PackageDescription

// libFuzzer targets for callprep's readers (Docs/Development.md, "Fuzzing and sanitizers").
//
// A package of its own so that a plain `swift build` or `make test` at the root never builds
// them: they only link with `-sanitize=fuzzer`, which supplies libFuzzer. Build and run them
// with `scripts/fuzz.sh TARGET SECONDS` (scratch path `.build-fuzz` at the root).

/// Swift 6 language mode, as at the root.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// The root package is a path dependency; SwiftPM names it after its folder, whatever the
/// checkout is called.
let rootFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = rootFolder.lastPathComponent

/// One fuzz target: an executable that defines `LLVMFuzzerTestOneInput`; libFuzzer (linked by
/// `--sanitize=fuzzer`, under which SwiftPM compiles executables as libraries) supplies `main`.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "AudioPrep", package: rootPackage)],
        swiftSettings: swiftSettings)
}

/// Every fuzz target, by what it feeds.
let fuzzTargets = [
    // Sniffer, probe and a bounded decode, one per format so each has its own seed corpus.
    "FuzzProbeWAV", "FuzzProbeFLAC", "FuzzProbeMP3", "FuzzProbeOgg", "FuzzProbeMatroska", "FuzzProbeMP4",
    // The demuxers' packet iteration, every track.
    "FuzzDemuxMatroska", "FuzzDemuxMP4",
    // The native FLAC frame decoder over every frame of a file.
    "FuzzDecodeFLAC",
    // merge --recordings: Twilio's Recordings list JSON.
    "FuzzRecordings",
]

let package = Package(
    name: "callprep-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        /// What every target shares: the input buffer, the per-process scratch file, draining a source.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "AudioPrep", package: rootPackage)],
            swiftSettings: swiftSettings),
    ] + fuzzTargets.map(fuzzTarget)
)
