/// Probe notes that describe a timestamped track's timeline: where it starts on its container's
/// clock, and which gaps callprep fills with silence.
enum TimelineNotes {
    static func notes(for timeline: TrackTimeline) -> [AudioInfo.Note] {
        var notes: [AudioInfo.Note] = []
        if timeline.startTimeNanoseconds != 0 {
            notes.append(.init(
                code: "container_start_time",
                message: "the audio starts at \(seconds(timeline.startTimeNanoseconds)) s on the file's timeline (for a Twilio track recording: after the room was created); merge lays it there."))
        }
        if timeline.gaps > 0 {
            let gapNanoseconds = TrackTimeline.nanoseconds(frames: timeline.gapFrames, rate: timeline.sampleRate)
            notes.append(.init(
                code: "timestamp_gaps",
                message: "\(timeline.gaps) gap\(timeline.gaps == 1 ? "" : "s") in the timestamps (\(seconds(gapNanoseconds)) s in all: mute, silence suppression or packet loss) are filled with silence, so the audio stays at its recorded times."))
        }
        if timeline.overlapFramesDropped > 0 {
            notes.append(.init(
                code: "overlapping_blocks",
                message: "some blocks start before the previous one ends; \(timeline.overlapFramesDropped) overlapping frames are dropped to keep the timeline."))
        }
        return notes
    }

    /// Nanoseconds as seconds with millisecond precision, e.g. `1.564`.
    private static func seconds(_ nanoseconds: Int64) -> String {
        let milliseconds = (nanoseconds + (nanoseconds >= 0 ? 500_000 : -500_000)) / 1_000_000
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = abs(milliseconds)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
