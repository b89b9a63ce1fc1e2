/// Every sample of one MP4 audio track in decode order: the `moov` sample tables first, then
/// (for fragmented files) the track's runs in the `moof` fragments. The length scan and the
/// decoder walk the same sequence, so they see the same samples at the same times.
struct MP4SampleSequence {
    private var table: MP4SampleTable.Iterator
    private var fragments: MP4FragmentPacketIterator?

    /// The samples of `track`; its sample table must have passed `MP4SampleTable.validate`.
    init(file: ContainerByteReader, movie: MP4Movie, track: MP4Track) {
        table = track.sampleTable.makeIterator()
        if movie.isFragmented {
            fragments = MP4FragmentPacketIterator(
                file: file, trackID: track.trackID, defaultDuration: movie.defaultDurations[track.trackID] ?? 0,
                defaultSize: movie.defaultSizes[track.trackID] ?? 0, startTime: track.sampleTable.totalDuration)
        }
    }

    /// The next sample (file position, size, decode time and duration), or nil after the last.
    mutating func next() throws(AudioPrepError) -> MP4SampleTable.Sample? {
        if let sample = table.next() { return sample }
        return try fragments?.next()
    }
}
