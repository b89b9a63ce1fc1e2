/// The input libFuzzer passes to a target's `LLVMFuzzerTestOneInput`, as a buffer (empty when
/// `data` is nil).
///
/// Each target defines that one C symbol (`@_cdecl`); SwiftPM builds executables as libraries
/// under `--sanitize=fuzzer`, and libFuzzer supplies `main`. A target returns 0 to let an input
/// that found new coverage into the corpus, -1 to keep it out (an input the target does not
/// apply to, such as another format).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
}
