#if canImport(Glibc)
import Glibc
#endif

/// Starts POSIX threads that run one closure and end with it; nobody joins them.
///
/// For the merge's long-running workers (track prefetchers, FLAC segment encoders), which must
/// not take slots of Dispatch's or Swift concurrency's pools. It replaces Foundation's `Thread`,
/// whose use would link the full Foundation and ICU's data into the static binary.
enum DetachedThread {
    /// Runs `body` on a new thread with a stack of `stackSize` bytes. `name` labels the thread in
    /// `top -H`, `perf` and debuggers (cut to the 15 bytes Linux keeps). Stops the process if
    /// the system cannot start a thread (as Foundation's `Thread.start()` does): the caller's
    /// work could not go on without it.
    static func start(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(ThreadContext(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
            context.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            fatalError("could not start thread \(name): pthread_create returned \(status)")
        }
    }
}

/// What a new thread runs, handed to it through `pthread_create`'s argument.
private final class ThreadContext {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        nameThisThread()
        body()
    }

    /// Writes the name to `/proc/thread-self/comm`, where Linux keeps a thread's name (what
    /// `pthread_setname_np` does; that call is not visible to Swift without `_GNU_SOURCE`). A
    /// failure only leaves the process's name on the thread.
    private func nameThisThread() {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
