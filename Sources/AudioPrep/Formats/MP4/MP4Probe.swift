/// Probes MP4/M4A files (Twilio Video MP4 compositions, AAC recordings), fragmented or not.
///
/// The length comes from the sample tables (or fragments) and the edit list: encoder priming
/// hidden by the first edit's media time is not counted, and an empty first edit becomes the
/// track's start time. No decoding is needed, so AAC files are probed even though AAC decoding
/// is not part of the default build.
public enum MP4Probe {
    /// True when `prefix` (the first bytes of a file) looks like ISO-BMFF: a box whose type is
    /// `ftyp`, `moov`, `free`, `skip`, `wide` or `mdat` at byte 4.
    public static func matches(prefix: [UInt8]) -> Bool {
        guard prefix.count >= 8 else { return false }
        let type = String(decoding: prefix[4..<8], as: UTF8.self)
        return ["ftyp", "moov", "free", "skip", "wide", "mdat", "styp"].contains(type)
    }

    /// The full probe result.
    public struct Report: Sendable {
        /// What `probe` reports.
        public var info: AudioInfo
        /// The audio track: its sample description (codec, AudioSpecificConfig) and edit list.
        public var track: MP4Track
        /// Start on the movie timeline (empty edits), exact length, priming removed (`preSkipFrames`).
        public var timeline: TrackTimeline
        /// The `ftyp` major brand (`isom`, `M4A `, `mp42`, …).
        public var majorBrand: String?
        /// True when the samples live in `moof` fragments (`moov` has `mvex`).
        public var isFragmented: Bool
    }

    /// Probes `path` and returns its `AudioInfo` (container `.mp4`, codec `aac` and others,
    /// exact frames from the sample tables and edit list, `lengthSource: .timestamps`).
    public static func probe(path: String) throws(AudioPrepError) -> AudioInfo {
        try inspect(path: path).info
    }

    /// Probes `path` for its first audio track.
    public static func inspect(path: String) throws(AudioPrepError) -> Report {
        let file = try ContainerByteReader(path: path)
        let movie = try MP4MovieParser(file: file).parse()
        guard let track = movie.tracks.first(where: { $0.isAudio }) else {
            throw AudioPrepError(.unsupportedFormat, path: path, "is an MP4 file without an audio track; pass a file with audio (for Twilio compositions: an audio composition).")
        }
        guard let entry = track.sampleEntry else {
            throw file.corrupt("the audio track has no sample description ('stsd')")
        }
        let config = entry.audioSpecificConfig
        let rate = config.map { $0.extensionSampleRate ?? $0.sampleRate } ?? entry.sampleRate
        let channels = config?.channels ?? entry.channels
        guard rate > 0, rate <= 768_000, channels > 0 else {
            throw file.corrupt("the audio track declares \(channels) channels at \(rate) Hz")
        }
        guard track.mediaTimescale > 0 else { throw file.corrupt("the audio track has no media timescale ('mdhd')") }

        var mediaStart: Int64 = 0
        var mediaEnd: Int64
        var gaps: Int64 = 0
        var gapDuration: Int64 = 0
        var samples: Int64
        if movie.isFragmented {
            let fragments = try MP4FragmentScanner(boxes: MP4BoxReader(file: file))
                .scan(trackID: track.trackID, defaultDuration: movie.defaultDurations[track.trackID] ?? 0)
            try track.sampleTable.validate(file: file)
            mediaStart = fragments.start
            mediaEnd = fragments.end + track.sampleTable.totalDuration
            samples = fragments.samples + track.sampleTable.sampleCount
            gaps = fragments.gaps
            gapDuration = fragments.gapDuration
        } else {
            try track.sampleTable.validate(file: file)
            mediaEnd = track.sampleTable.totalDuration
            samples = track.sampleTable.sampleCount
        }

        let timing = try EditListTiming(
            edits: track.edits, movieTimescale: movie.movieTimescale, mediaTimescale: track.mediaTimescale,
            mediaStart: mediaStart, mediaEnd: mediaEnd, file: file)
        func toFrames(_ media: Int64) throws(AudioPrepError) -> Int64 {
            try rescale(media, Int64(rate), track.mediaTimescale, file: file)
        }
        let timeline = TrackTimeline(
            startTimeNanoseconds: try rescale(timing.delay, 1_000_000_000, movie.movieTimescale, file: file),
            frames: try toFrames(timing.presentedDuration), sampleRate: rate, blocks: samples, gaps: gaps,
            gapFrames: try toFrames(gapDuration), overlapFramesDropped: 0,
            preSkipFrames: try toFrames(timing.presentedStart - mediaStart))
        var info = AudioInfo(
            container: .mp4, codec: entry.codecName, sampleRate: rate, channels: channels, frames: timeline.frames,
            bitsPerSample: nil, sizeBytes: file.size, lengthSource: .timestamps)
        info.notes = TimelineNotes.notes(for: timeline)
        info.startTimeNanoseconds = timeline.startTimeNanoseconds
        #if !AAC
        if entry.codecName == "aac" {
            info.notes.append(.init(
                code: "aac_not_decodable",
                message: "this build does not decode AAC (libfaad2 is GPL-2+ and is not in the default build), so merge cannot read this file; convert it first (ffmpeg -i IN -c:a pcm_s16le OUT.wav) or use a callprep built with AAC (\(enableAACCommand); the binary is then GPL-2+)"))
        }
        #endif
        return Report(info: info, track: track, timeline: timeline, majorBrand: movie.majorBrand, isFragmented: movie.isFragmented)
    }

    /// How to build callprep with AAC decoding (the package trait `AAC`, libfaad2).
    public static let enableAACCommand = "scripts/install-deps.sh --aac && swift build -c release --traits AAC"

    /// The error to show when an AAC track would have to be decoded by a build without the
    /// `AAC` trait: AAC decoding needs libfaad2 (GPL-2+), which the default build leaves out.
    public static func aacDecodingUnavailable(path: String) -> AudioPrepError {
        AudioPrepError(
            .unsupportedFormat, path: path,
            "holds AAC audio, and this build of callprep does not decode AAC (the AAC decoder, libfaad2, is GPL-2+ and is not part of the default build). Convert the file first: ffmpeg -i IN -c:a pcm_s16le OUT.wav — or, for a Twilio composition, request Format=webm (Opus). To decode AAC directly, build callprep with the AAC trait: \(enableAACCommand). A binary built that way links libfaad2 and must be distributed under the GPL (version 2 or later); the default build stays LGPL/BSD-only.")
    }

    /// `value × numerator / denominator`, rounded to nearest, for the ranges real files use.
    static func rescale(_ value: Int64, _ numerator: Int64, _ denominator: Int64, file: ContainerByteReader) throws(AudioPrepError) -> Int64 {
        guard denominator > 0, abs(value) < Int64(1) << 42, numerator > 0, numerator <= 1_000_000_000 else {
            throw file.corrupt("a duration of \(value) units cannot be converted at \(numerator)/\(denominator)")
        }
        let (high, low) = value.multipliedFullWidth(by: numerator)
        let product = Int64(bitPattern: low)
        guard (high == 0 && product >= 0) || (high == -1 && product < 0) else {
            throw file.corrupt("a duration of \(value) units is out of range")
        }
        return product >= 0 ? (product + denominator / 2) / denominator : (product - denominator / 2) / denominator
    }
}

/// What an edit list makes of a track's media timeline (ISO/IEC 14496-12 §8.6.6), for audio:
/// leading empty edits delay the track; the first media edit selects where presentation starts
/// (skipping encoder priming); every media edit adds its duration, capped by the media left.
struct EditListTiming {
    /// The delay before the first sample, in movie timescale units.
    var delay: Int64 = 0
    /// Where presentation starts in the media, in media timescale units.
    var presentedStart: Int64
    /// How much media is presented, in media timescale units.
    var presentedDuration: Int64

    init(
        edits: [MP4Edit], movieTimescale: Int64, mediaTimescale: Int64, mediaStart: Int64, mediaEnd: Int64,
        file: ContainerByteReader
    ) throws(AudioPrepError) {
        presentedStart = mediaStart
        presentedDuration = max(0, mediaEnd - mediaStart)
        var sawMedia = false
        var presented: Int64 = 0
        for edit in edits {
            if edit.mediaTime == -1 {
                if !sawMedia { delay += edit.segmentDuration }
                guard delay < MP4SampleTable.durationLimit else { throw file.corrupt("the edit list's empty edits add up to an impossible delay") }
                continue
            }
            guard edit.mediaTime >= mediaStart, edit.mediaTime <= mediaEnd else {
                throw file.corrupt("an edit starts at media time \(edit.mediaTime), outside the track's media (\(mediaStart)…\(mediaEnd))")
            }
            if !sawMedia { presentedStart = edit.mediaTime }
            sawMedia = true
            let available = mediaEnd - edit.mediaTime
            // A zero segment duration (fragmented files) means "to the end of the media".
            let wanted = edit.segmentDuration == 0
                ? available : try MP4Probe.rescale(edit.segmentDuration, mediaTimescale, movieTimescale, file: file)
            presented += min(available, wanted)
            guard presented < MP4SampleTable.durationLimit else { throw file.corrupt("the edit list presents an impossible duration") }
        }
        if sawMedia { presentedDuration = presented }
    }
}
