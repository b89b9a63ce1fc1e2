/// At most `limit` runs of a step at once among the workers of one ``JobRunner`` (one process):
/// `--max-in-flight-submits`. A worker waits for a slot in line; a cancelled wait gives its turn up.
actor StepSlots {
    let limit: Int
    private var inUse = 0
    private var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID = 0

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Waits for a slot; false when the waiting task was cancelled (no slot taken).
    func acquire() async -> Bool {
        if inUse < limit {
            inUse += 1
            return true
        }
        nextID += 1
        let id = nextID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiting.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Gives a slot back: the next waiting worker takes it.
    func release() {
        if waiting.isEmpty {
            inUse = max(inUse - 1, 0)
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
    }

    /// Slots taken now (for tests).
    var taken: Int { inUse }

    private func cancel(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }
}
