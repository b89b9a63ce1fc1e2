/// Every failure of a ``JobStore``: a stable ``code`` and a message that says what went wrong
/// and what to do.
public struct JobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `lease_lost: …`
    public var description: String { "\(code.rawValue): \(message)" }

    /// A stable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No job has that id.
        public static let notFound = Code(rawValue: "not_found")
        /// The worker's lease ran out, was taken over, or the job was cancelled: stop working
        /// on the job; whoever holds it now carries on.
        public static let leaseLost = Code(rawValue: "lease_lost")
        /// The job is not in a state that allows this (retrying a done job, replacing a running one).
        public static let invalidState = Code(rawValue: "invalid_state")
        /// The step was not started under this lease, or has already ended.
        public static let stepNotStarted = Code(rawValue: "step_not_started")
        /// An argument is out of range (a lease of no time, an empty worker id).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The database could not be opened, read or written.
        public static let database = Code(rawValue: "database_error")
        /// The database was written by a newer callprep (a migration this one does not know).
        public static let newerSchema = Code(rawValue: "newer_schema")
        /// A row holds something this callprep cannot read (edited by hand, or damaged).
        public static let corruptRow = Code(rawValue: "corrupt_row")
    }
}
