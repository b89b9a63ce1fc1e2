#if canImport(Glibc)
import Glibc
#endif
@testable import AudioPrep

/// The probe targets' one entry: the input as a file, sniffed, opened by the reader its content
/// calls for (`AudioInput.open`, what probe and merge use), and decoded.
public enum ProbeFuzzing {
    /// Runs `bytes` through the sniffer; when it sniffs as one of `containers`, opens it as a
    /// merge does and drains its source. Returns -1 (keep out of the corpus) for inputs that
    /// sniff as another format, so each target's corpus stays in its own format.
    ///
    /// Refusals (`AudioPrepError`) are the expected outcome for most mutants. A trap, a sanitizer
    /// report or a source that delivers a different number of frames than the probe reported is
    /// a finding.
    public static func run(_ bytes: UnsafeRawBufferPointer, containers: Set<Container>, extension ext: String) -> Int32 {
        var result: Int32 = 0
        ScratchFile.with(bytes, extension: ext) { path in
            do {
                let file = try BinaryFileReader(path: path)
                guard let sniffed = try FormatSniffer.sniff(file).container, containers.contains(sniffed) else {
                    result = -1
                    return
                }
                let input = try AudioInput.open(path: path)
                let delivered = try SourceDraining.drain(input.source)
                if LengthCheck.enabled, delivered < SourceDraining.defaultFrameLimit {
                    precondition(
                        input.info.frames == Int64(delivered),
                        "fuzz: probe reported \(input.info.frames) frames, the source delivered \(delivered)")
                }
            } catch {
                // A refusal naming the problem: what damaged input should get.
            }
        }
        return result
    }
}

/// Whether the targets also check the length contract (probe's frames equal the frames the
/// source delivers; a source's `frameCount` equals what it delivers). On unless
/// `CALLPREP_FUZZ_LENGTHS=0`, which limits a run to crashes, sanitizer reports and timeouts.
public enum LengthCheck {
    public static let enabled: Bool = getenv("CALLPREP_FUZZ_LENGTHS").map { String(cString: $0) != "0" } ?? true
}
