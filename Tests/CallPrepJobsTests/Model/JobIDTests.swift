import Testing
@testable import CallPrepJobs

@Suite struct JobIDTests {
    @Test func acceptsTheDocumentedCharacters() throws {
        let id = try JobID("call-2026-12-05_0001:agent.v2")
        #expect(id.rawValue == "call-2026-12-05_0001:agent.v2")
        #expect(try JobID(String(repeating: "a", count: 128)).rawValue.count == 128)
        #expect(try JobID("x").description == "x")
    }

    @Test(arguments: ["", String(repeating: "a", count: 129), "call 1", "call/1", "../etc", "é", "a\u{0}b", ".", ".."])
    func refusesOthers(text: String) {
        #expect(throws: JobSpecError.self) { try JobID(text) }
        #expect(JobID.problem(with: text) != nil)
    }

    @Test func namesTheProblem() {
        #expect(JobID.problem(with: "call/1")?.contains("'/'") == true)
        #expect(JobID.problem(with: "a\tb")?.contains("U+0009") == true)
        #expect(JobID.problem(with: String(repeating: "a", count: 129))?.contains("129 characters") == true)
        do {
            _ = try JobID("")
            Issue.record("an empty id was accepted")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.key == "id")
        }
    }
}
