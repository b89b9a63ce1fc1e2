#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ending the process from code where ArgumentParser's `exit(withError:)` shadows the C `exit`.
enum ProcessExit {
    /// Flushes standard output and ends the process with `status` (`exit(3)`).
    static func exit(status: Int32) -> Never {
        fflush(nil)
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Darwin)
        Darwin.exit(status)
        #endif
    }

    /// Ends the process by `signal` itself, after the caller has cleaned up: the signal's default
    /// action is restored and the signal raised again, so a parent sees "killed by SIGINT" (a shell
    /// reports 128 + N: 130, 143, 129) and a shell loop running callprep stops on Ctrl-C as it
    /// would for any other command. Falls back to `exit(128 + signal)` should the process survive.
    static func terminate(bySignal number: Int32) -> Never {
        fflush(nil)
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        exit(status: 128 + number)
    }
}
