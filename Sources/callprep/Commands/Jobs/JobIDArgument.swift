import ArgumentParser
import CallPrepJobs

/// The `ID` argument of the jobs commands that act on one job (`show`, `cancel`): checked as a
/// job id while the command line is parsed, so a bad one is a usage error before the store opens.
struct JobIDArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
    var id: String

    func validate() throws {
        if let problem = JobID.problem(with: id) { throw ValidationError(problem + ".") }
    }

    /// The id as the store takes it.
    func jobID() throws -> JobID { try JobID(id) }
}
