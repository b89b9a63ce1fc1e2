/// One pass over an MP4 audio track's samples (no media data read): where its media starts and
/// ends, the gaps between fragments, the last packet an edit list presents, and where the file
/// ends inside a sample (a download or recording cut short: the samples before it decode).
struct MP4TrackScan {
    /// The first sample's decode time (a fragmented file's `tfdt` may start after 0).
    var mediaStart: Int64 = 0
    /// The first sample the file holds in full (MP3's frame header in it says what decodes).
    var firstSample: MP4SampleTable.Sample?
    /// The end of the latest sample by the time-to-sample durations.
    var mediaEnd: Int64 = 0
    /// Samples that start before the edit list's end (all of them without one).
    var presentedSamples: Int64 = 0
    /// The last of those: its full decoded length ends the track.
    var lastPresented: MP4SampleTable.Sample?
    /// Samples starting after the previous one ended (a later `tfdt`): missing media.
    var gaps: Int64 = 0
    var gapDuration: Int64 = 0
    /// The first sample whose bytes the file does not hold (a file cut short), and how many
    /// samples were read before it; the scan stops there.
    var cutSample: (sample: MP4SampleTable.Sample, index: Int64)?

    /// Walks `samples` to the end. Decode times and durations are below 2^50 and 2^32
    /// (`MP4SampleTable.validate`, `MP4FragmentPacketIterator`), so every sum here is exact.
    init(_ samples: inout MP4SampleSequence, presentedEnd: Int64?, fileSize: Int64) throws(AudioPrepError) {
        var first = true
        var index: Int64 = 0
        while let sample = try samples.next() {
            guard sample.offset <= fileSize, Int64(sample.size) <= fileSize - sample.offset else {
                cutSample = (sample, index)
                break
            }
            index += 1
            if first {
                firstSample = sample
                mediaStart = sample.decodeTime
                mediaEnd = sample.decodeTime
                first = false
            } else if sample.decodeTime > mediaEnd {
                gaps += 1
                gapDuration += sample.decodeTime - mediaEnd
            }
            mediaEnd = max(mediaEnd, sample.decodeTime + sample.duration)
            if presentedEnd.map({ sample.decodeTime < $0 }) ?? true {
                presentedSamples += 1
                lastPresented = sample
            }
        }
    }
}
