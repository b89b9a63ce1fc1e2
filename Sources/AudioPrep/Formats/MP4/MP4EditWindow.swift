/// What an edit list (ISO/IEC 14496-12 §8.6.6) makes of an audio track's media timeline, the way
/// ffmpeg's MP4 demuxer applies it (the reference callprep's lengths are checked against):
/// leading empty edits delay the track; the first media edit's media time is where presentation
/// starts (hiding the encoder's priming); the last media edit's end decides which packets are
/// presented — every packet that starts before it, each decoded in full.
struct MP4EditWindow: Sendable, Hashable {
    /// The delay before the first sample, in movie timescale units.
    var delay: Int64 = 0
    /// Where presentation starts, in media timescale units; nil without a media edit.
    var presentedStart: Int64?
    /// Packets starting at or after this media time are not presented; nil: to the end.
    var presentedEnd: Int64?

    init(edits: [MP4Edit], movieTimescale: Int64, mediaTimescale: Int64, file: ContainerByteReader) throws(AudioPrepError) {
        for edit in edits {
            if edit.mediaTime == -1 {
                if presentedStart == nil { delay += edit.segmentDuration }
                // Each duration is below 2^61 (MP4MovieParser), so checking after every
                // addition keeps the sum far from overflow.
                guard delay < MP4SampleTable.durationLimit else { throw file.corrupt("the edit list's empty edits add up to an impossible delay") }
                continue
            }
            guard edit.mediaTime < MP4SampleTable.durationLimit else {
                throw file.corrupt("an edit starts at media time \(edit.mediaTime), beyond any real recording")
            }
            if presentedStart == nil { presentedStart = edit.mediaTime }
            // A zero segment duration (fragmented files) means "to the end of the media".
            if edit.segmentDuration == 0 {
                presentedEnd = nil
                continue
            }
            // The rescaled duration may be anything up to Int64.max: added with overflow checking.
            let duration = try MP4Probe.rescale(edit.segmentDuration, mediaTimescale, movieTimescale, file: file)
            let (end, overflow) = edit.mediaTime.addingReportingOverflow(duration)
            guard !overflow, end < MP4SampleTable.durationLimit else {
                throw file.corrupt("an edit presents \(edit.segmentDuration) movie units from media time \(edit.mediaTime), beyond any real recording")
            }
            presentedEnd = end
        }
    }
}
