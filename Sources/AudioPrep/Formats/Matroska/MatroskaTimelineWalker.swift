/// One block of the selected track, placed on the track's timeline.
struct PlacedMatroskaBlock {
    /// Frames of silence that precede the block (a timestamp gap).
    var silenceBefore: Int64
    /// The block's packets (laced frames), to decode in order.
    var packets: [[UInt8]]
    /// Frames to drop from the start of the decoded block (overlap with the previous block).
    var dropFromStart: Int64
    /// Frames to keep after the drop (DiscardPadding already removed from the end).
    var keepFrames: Int64
}

/// Walks a Matroska track block by block and places each block at its own timestamp, using
/// only packet headers for lengths. The probe sums what it yields; the source decodes it.
struct MatroskaTimelineWalker {
    let track: MatroskaTrack
    let decoder: any MatroskaPacketDecoder
    private var blocks: MatroskaBlockReader
    private var placer: BlockTimelinePlacer

    init(file: ContainerByteReader, layout: MatroskaSegmentLayout, track: MatroskaTrack, decoder: any MatroskaPacketDecoder) {
        self.track = track
        self.decoder = decoder
        self.blocks = MatroskaBlockReader(file: file, layout: layout, trackNumber: track.number)
        self.placer = BlockTimelinePlacer(sampleRate: decoder.sampleRate, tickNanoseconds: layout.timestampScale, path: file.path)
    }

    /// The next placed block, or nil at the end of the track.
    mutating func next() throws(AudioPrepError) -> PlacedMatroskaBlock? {
        guard let block = try blocks.next() else { return nil }
        var decodedFrames: Int64 = 0
        for packet in block.frames { decodedFrames += Int64(try decoder.frameCount(of: packet)) }
        let discard = min(decodedFrames, TrackTimeline.frames(nanoseconds: block.discardPaddingNanoseconds, rate: decoder.sampleRate))
        let effective = decodedFrames - discard
        let time = block.timestampNanoseconds - track.codecDelayNanoseconds
        let placement = try placer.place(timeNanoseconds: time, frames: effective)
        return PlacedMatroskaBlock(
            silenceBefore: placement.silenceBefore, packets: block.frames,
            dropFromStart: placement.dropFromStart, keepFrames: effective - placement.dropFromStart)
    }

    /// The timeline so far; complete once `next()` has returned nil.
    var timeline: TrackTimeline {
        let preSkip = Int64(decoder.preSkip)
        let origin = placer.originNanoseconds ?? 0
        return TrackTimeline(
            startTimeNanoseconds: origin + TrackTimeline.nanoseconds(frames: preSkip, rate: decoder.sampleRate),
            frames: max(0, placer.end - preSkip), sampleRate: decoder.sampleRate, blocks: placer.blocks,
            gaps: placer.gaps, gapFrames: placer.gapFrames, overlapFramesDropped: placer.overlapFramesDropped,
            preSkipFrames: preSkip)
    }
}
