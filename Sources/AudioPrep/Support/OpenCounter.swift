import Synchronization

/// Counts file opens and container parses, so tests can hold each format reader to one open
/// and one parse per input: `OpenCounter.$current.withValue(counter) { … }` counts what the
/// code run inside does on that task. Outside such a test no counter is set, and recording an
/// event costs one task-local read.
final class OpenCounter: Sendable {
    /// What is counted.
    enum Event: Hashable, Sendable {
        /// A `ContainerByteReader` opened a file (the Matroska and MP4 readers' file access).
        case containerFileOpened
        /// `MP4MovieParser` parsed a `moov`.
        case mp4MovieParsed
        /// `MatroskaLayoutParser` parsed a segment's layout.
        case matroskaLayoutParsed
    }

    /// The counter of the current task, if a test set one.
    @TaskLocal static var current: OpenCounter?

    private let counts = Mutex<[Event: Int]>([:])

    /// Counts `event` on the current task's counter, if any.
    static func record(_ event: Event) {
        current?.add(event)
    }

    /// How often `event` happened.
    func count(_ event: Event) -> Int {
        counts.withLock { $0[event, default: 0] }
    }

    private func add(_ event: Event) {
        counts.withLock { $0[event, default: 0] += 1 }
    }
}
