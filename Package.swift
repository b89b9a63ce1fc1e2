// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode (strict concurrency) and the
/// upcoming features that keep existentials explicit.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// Linux only (tested on Debian 12, x86-64): no `platforms` entry, since no Apple platform is
/// built or tested (the sources use glibc's threads, `/proc/self/fd` and `flock`).
let package = Package(
    name: "callprep",
    products: [
        .library(name: "ChannelMap", targets: ["ChannelMap"]),
        .library(name: "AudioPrep", targets: ["AudioPrep"]),
        .library(name: "TwilioIntelligence", targets: ["TwilioIntelligence"]),
        .library(name: "ObjectStore", targets: ["ObjectStore"]),
        .library(name: "CallPrepJobs", targets: ["CallPrepJobs"]),
        .executable(name: "callprep", targets: ["callprep"]),
    ],
    traits: [
        // Off by default: libfaad2 is GPL-2.0-or-later, so a binary built with this trait must be
        // distributed under GPL terms. Enable with `swift build --traits AAC` (Docs/Development.md).
        .trait(name: "AAC", description: "Decode AAC in MP4/M4A with libfaad2 (GPL-2+; apt libfaad-dev)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // `callprep serve`: the HTTP front door, graceful shutdown and Prometheus metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // MARK: - C libraries (Debian -dev packages; see scripts/install-deps.sh)
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFLAC", pkgConfig: "flac", providers: [.apt(["libflac-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CMPG123", pkgConfig: "libmpg123", providers: [.apt(["libmpg123-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CVorbis", pkgConfig: "vorbis", providers: [.apt(["libvorbis-dev"])]),
        // Only with the AAC trait (GPL-2+): `scripts/install-deps.sh --aac` installs it.
        .systemLibrary(name: "CFAAD", pkgConfig: "faad2", providers: [.apt(["libfaad-dev"])]),

        // MARK: - Our own C: hot loops (FLAC decoding, the merge's quantizer) with x86-64-v3
        // (AVX2) versions chosen at run time; the Swift code is built for baseline x86-64.
        .target(name: "CAudioKernels"),

        // MARK: - Libraries

        /// The channel map both libraries and the CLI share: `ChannelParticipant`, the one
        /// `--participant` parser and the manifest → channel map step. No audio, no networking.
        .target(name: "ChannelMap", dependencies: ["CallPrepJSON"], swiftSettings: swiftSettings),
        /// The one JSON value type and writer (jq-style and Python-`json.dumps`-style text) for
        /// everything the tool prints or writes; no other dependency.
        .target(name: "CallPrepJSON", swiftSettings: swiftSettings),
        .target(
            name: "AudioPrep",
            dependencies: [
                "ChannelMap", "CallPrepJSON", "CSndFile", "CFLAC", "CSoxr", "CMPG123", "COpus", "CVorbis", "CAudioKernels",
                .target(name: "CFAAD", condition: .when(traits: ["AAC"])),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TwilioIntelligence",
            dependencies: [
                "ChannelMap",
                "CallPrepJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        /// S3-compatible object storage for hosting merged files: the `ObjectStore` protocol,
        /// SigV4 signing and presigning, AWS-style configuration, the S3 client (single and
        /// multipart uploads, HEAD, downloads) and an in-memory store for callers' tests. No audio.
        .target(
            name: "ObjectStore",
            dependencies: [
                "CallPrepJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The durable job store of `callprep jobs`: the job model (`JobID`, `JobSpec` from a
        /// JSONL line, `JobState`, `JobStep` and its journal), the `JobStore` protocol (add,
        /// claim with a lease, step records, retry, cancel, status) and `SQLiteJobStore` on GRDB
        /// (WAL, versioned migrations, claims in one IMMEDIATE transaction), `PostgresJobStore` on
        /// PostgresNIO (claims with FOR UPDATE SKIP LOCKED) and the worker loop. No audio.
        .target(
            name: "CallPrepJobs",
            dependencies: [
                "ChannelMap",
                "CallPrepJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Command-line tool
        .executableTarget(
            name: "callprep",
            dependencies: [
                "ChannelMap",
                "AudioPrep",
                "TwilioIntelligence",
                "ObjectStore",
                "CallPrepJSON",
                "CallPrepJobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The CustomerKey of a job's transcript (SHA-256 of the job id and its media).
                .product(name: "Crypto", package: "swift-crypto"),
                // `callprep serve`: Twilio's callbacks over HTTP, health and metrics.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests

        /// A local HTTP server as strict as Twilio's Intelligence API (auth, form encoding,
        /// parameter patterns, paging, error bodies) with fault injection; used by the client
        /// tests and the end-to-end CLI tests. Test support only: no product ships it.
        .target(
            name: "TwilioTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/TwilioTestServer",
            swiftSettings: swiftSettings
        ),
        /// The throwaway PostgreSQL cluster the jobs tests and the `jobs` CLI tests start.
        /// Test support only: no product ships it.
        .target(
            name: "PostgresTestServer",
            path: "Tests/PostgresTestServer",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChannelMapTests",
            dependencies: [
                "ChannelMap",
                // The library example of Docs/API.md (merge → manifest → channel map → submit)
                // runs as a test against the strict Intelligence test server.
                "AudioPrep", "TwilioIntelligence", "TwilioTestServer",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CallPrepJSONTests",
            dependencies: ["CallPrepJSON"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AudioPrepTests",
            dependencies: ["AudioPrep", "CSndFile", "CSoxr", "CFLAC", "CAudioKernels"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TwilioIntelligenceTests",
            dependencies: [
                "TwilioIntelligence",
                "TwilioTestServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Downloads are checked against the SHA-256 of the bytes served.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ObjectStoreTests",
            dependencies: [
                "ObjectStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CallPrepJobsTests",
            dependencies: [
                "CallPrepJobs", "CallPrepJSON", "ChannelMap", "PostgresTestServer",
                // To damage rows on purpose and read the schema as SQLite sees it.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CallPrepTests",
            dependencies: [
                "AudioPrep",
                // The `jobs` tests move jobs through their steps in the store the CLI reads.
                "CallPrepJobs", "CallPrepJSON",
                // The end-to-end CLI tests run the strict Intelligence test server too, and the
                // `jobs` tests a throwaway PostgreSQL.
                "TwilioTestServer", "PostgresTestServer",
                // The `serve` tests sign their callbacks as Twilio does; `room`'s manifest hashes
                // are checked against the media served.
                "TwilioIntelligence", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
