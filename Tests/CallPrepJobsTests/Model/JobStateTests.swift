import Testing
@testable import CallPrepJobs

@Suite struct JobStateTests {
    @Test func namesAndFinality() {
        #expect(JobState.allCases.map(\.rawValue) == ["queued", "running", "done", "failed", "cancelled"])
        #expect(JobState.allCases.filter(\.isFinal) == [.done, .failed, .cancelled])
        #expect(JobState(name: "running") == .running)
        #expect(JobState(name: "Running") == nil)
    }

    @Test func stepsRunInTheDocumentedOrder() {
        #expect(JobStep.allCases.map(\.rawValue) == ["validate", "fetch", "merge", "upload", "submit", "wait", "results"])
        #expect(JobStep.allCases.sorted(by: >).first == .results)
        #expect(JobStep.merge < JobStep.upload)
        #expect(!(JobStep.wait < JobStep.submit))
    }
}
