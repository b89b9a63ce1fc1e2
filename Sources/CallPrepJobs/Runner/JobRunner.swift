import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The worker loop of `callprep jobs run`: N workers (tasks in one process) claim jobs from a
/// ``JobStore`` and take each through its steps, journaled one run at a time.
///
/// For each claimed job the runner reads the journal and resumes at the first step without a
/// finished, verified run (``JobStepPerformer/verify(_:outputs:job:)``); once one step runs
/// again, every later step runs again too. While a step runs (and while it waits before a
/// retry) a heartbeat renews the lease every third of its length; when the lease is lost the
/// step is cancelled and nothing more is written. A transient failure is retried with
/// exponential backoff until `maxAttempts` runs of that step have failed — counted across claims,
/// a run left `started` by a worker that died counting too, so a job whose worker keeps dying
/// fails instead of being retried forever; a permanent one fails the job at once with the step,
/// code and message.
///
/// Cancelling the task that runs ``run()`` stops the workers: a running step is cancelled, its
/// run journaled as `interrupted` (not counted as an attempt) and the job released to `queued`,
/// so the next worker resumes it.
public struct JobRunner: Sendable {
    public let store: any JobStore
    public let performer: any JobStepPerformer
    public let settings: JobRunnerSettings
    private let report: @Sendable (JobRunEvent) -> Void
    /// The limited steps' slots, shared by this runner's workers.
    private let slots: [JobStep: StepSlots]

    public init(
        store: any JobStore, performer: any JobStepPerformer, settings: JobRunnerSettings,
        report: @escaping @Sendable (JobRunEvent) -> Void = { _ in }
    ) {
        self.store = store
        self.performer = performer
        self.settings = settings
        self.report = report
        slots = settings.maxInFlight.mapValues { StepSlots(limit: $0) }
    }

    /// The name of the store's gate that holds `step` back for every worker (``JobStore/holdBack(_:for:)``).
    public static func gate(of step: JobStep) -> String { "step:" + step.rawValue }

    /// Runs the workers until the work runs out (every job `done`, `failed` or `cancelled`, none
    /// `queued` or `running` — so a job held by a dead worker is waited for until its lease runs
    /// out, then taken over) or, with `follow`, until cancelled. Throws only when the store
    /// cannot be read at all.
    public func run() async throws(JobStoreError) -> JobRunSummary {
        let count = min(max(settings.workers, 1), 64)
        let results = await withTaskGroup(of: Result<JobRunSummary, JobStoreError>.self) { group in
            for number in 1...count {
                group.addTask {
                    var summary = JobRunSummary()
                    do throws(JobStoreError) {
                        try await worker(id: "\(settings.workerPrefix)-\(number)", summary: &summary)
                        return .success(summary)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<JobRunSummary, JobStoreError>] = []
            for await result in group {
                // A worker that cannot read the store stops the others.
                if case .failure = result { group.cancelAll() }
                results.append(result)
            }
            return results
        }
        var total = JobRunSummary()
        for result in results {
            let summary = try result.get()
            total.done += summary.done
            total.failed += summary.failed
            total.leasesLost += summary.leasesLost
            total.released += summary.released
        }
        total.interrupted = Task.isCancelled
        return total
    }

    // MARK: - A worker

    private func worker(id workerID: String, summary: inout JobRunSummary) async throws(JobStoreError) {
        var storeFailures = 0
        while !Task.isCancelled {
            let lease: JobLease?
            do {
                lease = try await store.claim(workerID: workerID, leaseDuration: settings.lease)
                storeFailures = 0
            } catch {
                if Task.isCancelled { return }
                storeFailures += 1
                // A busy or briefly unavailable database: wait and try again, a few times.
                guard storeFailures < 5 else { throw error }
                report(.storeProblem(error.description))
                guard await pause(settings.pollInterval) else { return }
                continue
            }
            guard let lease else {
                if !settings.follow {
                    let status = try await store.status()
                    if (status.counts[.queued] ?? 0) == 0, (status.counts[.running] ?? 0) == 0 { return }
                }
                guard await pause(settings.pollInterval) else { return }
                continue
            }
            report(.claimed(lease.jobID, worker: workerID, claim: lease.generation))
            switch await runJob(lease) {
            case .done: summary.done += 1
            case .failed: summary.failed += 1
            case .leaseLost: summary.leasesLost += 1
            case .released: summary.released += 1
            }
        }
    }

    /// Sleeps `duration`; false when cancelled.
    private func pause(_ duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }

    private enum JobOutcome { case done, failed, leaseLost, released }

    /// Why a step's run ended without outputs.
    private enum StepStop: Error {
        case failure(JobStepFailure)
        case leaseLost(String)
        case stopped
    }

    // MARK: - A job

    private func runJob(_ lease: JobLease) async -> JobOutcome {
        let job = lease.job
        let history: [StepRecord]
        do {
            history = try await store.show(job.id)?.steps ?? []
        } catch {
            return await giveBack(lease, because: error)
        }
        var outputs: [JobStep: JSONValue] = [:]
        var resuming = true
        for step in performer.steps(for: job) {
            if resuming, let done = history.last(where: { $0.step == step && $0.outcome == .finished }),
                await performer.verify(step, outputs: done.outputs, job: job)
            {
                outputs[step] = done.outputs
                report(.stepVerified(job.id, step))
                continue
            }
            resuming = false
            // Attempts survive claims: the step's failed runs and the runs a dead worker left
            // `started` count, from its last finished run and the last `jobs retry` on.
            let earlierRuns = Self.attemptsSoFar(of: step, in: history, since: job.retriedAt)
            var failures = earlierRuns.count
            if failures >= settings.maxAttempts {
                let jobFailure = Self.gaveUp(step, after: earlierRuns)
                do throws(JobStoreError) {
                    try await store.fail(lease, failure: jobFailure)
                } catch {
                    return await giveBack(lease, because: error)
                }
                report(.jobFailed(job.id, jobFailure))
                return .failed
            }
            while true {
                if Task.isCancelled { return await release(lease, record: nil) }
                // A server's Retry-After seen by any worker of any process holds the step back.
                if let stop = await waitForGate(of: step, lease: lease) { return stop }
                let slot = slots[step]
                if let slot, let stop = await waitHolding(lease, { () async throws(StepStop) in
                    guard await slot.acquire() else { throw .stopped }
                }) {
                    return stop
                }
                let record: StepRecord
                do {
                    record = try await store.startStep(step, lease: lease)
                } catch {
                    await slot?.release()
                    return await giveBack(lease, because: error)
                }
                report(.stepStarted(job.id, step, attempt: record.attempt))
                let context = JobStepContext(store: store, lease: lease)
                let result = await holdingLease(lease) { [performer, outputs] () async throws(StepStop) -> JSONValue in
                    do throws(JobStepFailure) {
                        return try await performer.perform(step, job: job, earlier: outputs, context: context)
                    } catch {
                        throw .failure(error)
                    }
                }
                await slot?.release()
                switch result {
                case .success(let produced):
                    do throws(JobStoreError) {
                        _ = try await store.finishStep(record, outputs: produced, lease: lease)
                    } catch {
                        return await giveBack(lease, because: error)
                    }
                    report(.stepFinished(job.id, step, attempt: record.attempt))
                    outputs[step] = produced
                case .failure(.leaseLost(let reason)):
                    report(.leaseLost(job.id, reason))
                    return .leaseLost
                case .failure(.stopped):
                    return await release(lease, record: record)
                case .failure(.failure(let failure)):
                    if Task.isCancelled { return await release(lease, record: record) }
                    failures += 1
                    let retry = failure.isTransient && failures < settings.maxAttempts
                    let delay = retry
                        ? settings.retryDelay(afterFailures: failures, retryAfter: failure.retryAfter, unit: Double.random(in: 0...1))
                        : nil
                    do throws(JobStoreError) {
                        if failure.isTransient, let retryAfter = failure.retryAfter, retryAfter > .zero {
                            try await store.holdBack(Self.gate(of: step), for: min(retryAfter, .seconds(3600)))
                        }
                        _ = try await store.failStep(record, code: failure.code, message: failure.message, lease: lease)
                        report(.stepFailed(job.id, step, attempt: record.attempt, failure: failure, willRetry: retry, delay: delay))
                        if !retry {
                            var message = failure.message
                            if failure.isTransient { message += " (gave up after \(failures) attempts)" }
                            let jobFailure = JobFailure(step: step, code: failure.code, message: message)
                            try await store.fail(lease, failure: jobFailure)
                            report(.jobFailed(job.id, jobFailure))
                            return .failed
                        }
                    } catch {
                        return await giveBack(lease, because: error)
                    }
                    if let stop = await pauseHolding(lease, delay ?? .zero) { return stop }
                    continue
                }
                break
            }
        }
        do {
            try await store.complete(lease)
        } catch {
            return await giveBack(lease, because: error)
        }
        report(.jobDone(job.id))
        return .done
    }

    /// Waits (holding the lease) while the store holds `step` back; nil when the step may start,
    /// else how the job's work ended (stopped, or the lease lost).
    private func waitForGate(of step: JobStep, lease: JobLease) async -> JobOutcome? {
        while true {
            let remaining: Duration
            do {
                remaining = try await store.holdBackRemaining(Self.gate(of: step))
            } catch {
                return await giveBack(lease, because: error)
            }
            guard remaining > .zero else { return nil }
            report(.stepHeldBack(lease.jobID, step, remaining))
            if let stop = await pauseHolding(lease, remaining) { return stop }
        }
    }

    /// Sleeps `duration` while holding the lease; nil when it has passed, else how the job's work ended.
    private func pauseHolding(_ lease: JobLease, _ duration: Duration) async -> JobOutcome? {
        await waitHolding(lease) { () async throws(StepStop) in
            do { try await Task.sleep(for: duration) } catch { throw .stopped }
        }
    }

    /// Runs `wait` (a pause, the wait for a slot) while the heartbeat renews the lease; nil when
    /// it ended, else how the job's work ended (the lease lost, or the worker stopped: given back).
    private func waitHolding(_ lease: JobLease, _ wait: @escaping @Sendable () async throws(StepStop) -> Void) async -> JobOutcome? {
        let waited = await holdingLease(lease) { () async throws(StepStop) -> JSONValue in
            try await wait()
            return .null
        }
        switch waited {
        case .success: return nil
        case .failure(.leaseLost(let reason)):
            report(.leaseLost(lease.jobID, reason))
            return .leaseLost
        case .failure: return await release(lease, record: nil)
        }
    }

    /// The runs of `step` that count as attempts: after its last finished run and after `since`
    /// (the last `jobs retry`), each failed run (not one interrupted by a signal) and each run
    /// left `started` — its worker died (killed, crashed, the machine lost) before it ended.
    static func attemptsSoFar(of step: JobStep, in history: [StepRecord], since retried: Date?) -> [StepRecord] {
        var runs = history.filter { run in run.step == step && (retried.map { start in run.startedAt >= start } ?? true) }
        if let finished = runs.lastIndex(where: { $0.outcome == .finished }) { runs.removeSubrange(...finished) }
        return runs.filter { run in
            run.outcome == .started || (run.outcome == .failed && run.errorCode != JobStepFailure.interruptedCode)
        }
    }

    /// The failure of a job whose step used up its attempts before this claim: the last failed
    /// run's code and message, or `worker_lost` when the last run's worker died.
    static func gaveUp(_ step: JobStep, after runs: [StepRecord]) -> JobFailure {
        let abandoned = runs.filter { $0.outcome == .started }.count
        let suffix = " (gave up after \(runs.count) attempts, \(abandoned) of them ended by a worker that stopped without finishing)"
        if let last = runs.last, last.outcome == .failed, let code = last.errorCode {
            return JobFailure(step: step, code: code, message: (last.errorMessage ?? "") + suffix)
        }
        return JobFailure(
            step: step, code: JobStepFailure.workerLostCode,
            message: "the \(step.rawValue) step's worker stopped without finishing it (killed, crashed or its machine lost)" + suffix
                + "; look for what kills it (memory, a time limit), then `callprep jobs retry`")
    }

    /// Runs `body` while a heartbeat renews `lease`; a lost lease cancels `body`. Cancellation of
    /// the calling task (the runner stopping) ends as `.stopped`.
    private func holdingLease(
        _ lease: JobLease, _ body: @escaping @Sendable () async throws(StepStop) -> JSONValue
    ) async -> Result<JSONValue, StepStop> {
        let interval = max(settings.lease / 3, .milliseconds(10))
        let leaseDuration = settings.lease
        return await withTaskGroup(of: Result<JSONValue, StepStop>?.self) { group in
            group.addTask {
                do throws(StepStop) {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask { [store] in
                while true {
                    do {
                        try await Task.sleep(for: interval)
                    } catch {
                        return nil
                    }
                    do throws(JobStoreError) {
                        _ = try await store.renew(lease, leaseDuration: leaseDuration)
                    } catch where error.code == .leaseLost {
                        return .failure(.leaseLost(error.message))
                    } catch {
                        // A busy database: the next beat tries again; the lease lasts three beats.
                        continue
                    }
                }
            }
            // The first answer wins (the body's result, or the heartbeat's lost lease); the other
            // task is cancelled and its answer dropped. A heartbeat ended by cancellation answers nil.
            var outcome: Result<JSONValue, StepStop>?
            for await next in group {
                if outcome == nil, let next {
                    outcome = next
                    group.cancelAll()
                }
            }
            guard let outcome else { return .failure(.stopped) }
            if Task.isCancelled, case .failure(.failure) = outcome { return .failure(.stopped) }
            return outcome
        }
    }

    /// Journals an interrupted run (when one was started) and gives the job back, outside the
    /// cancelled task so the writes happen.
    private func release(_ lease: JobLease, record: StepRecord?) async -> JobOutcome {
        let store = store
        let done: Bool = await Task.detached {
            do {
                if let record {
                    _ = try await store.failStep(
                        record, code: JobStepFailure.interruptedCode, message: "the worker was stopped; the step runs again", lease: lease)
                }
                try await store.release(lease)
                return true
            } catch {
                return false
            }
        }.value
        if done {
            report(.released(lease.jobID))
            return .released
        }
        report(.leaseLost(lease.jobID, "could not give the job back; it is taken over when its lease runs out"))
        return .leaseLost
    }

    /// A store operation on the job failed: stop working on it. A lost lease means another
    /// holder carries on; anything else leaves the job to be taken over when the lease runs out.
    private func giveBack(_ lease: JobLease, because error: JobStoreError) async -> JobOutcome {
        if error.code != .leaseLost, Task.isCancelled { return await release(lease, record: nil) }
        report(error.code == .leaseLost ? .leaseLost(lease.jobID, error.message) : .storeProblem(error.description))
        return .leaseLost
    }
}
