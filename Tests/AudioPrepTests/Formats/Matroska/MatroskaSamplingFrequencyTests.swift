import Foundation
import Testing
@testable import AudioPrep

/// A Matroska AAC/Vorbis track (probed, not decoded in this build) whose SamplingFrequency float
/// is NaN, infinite or absurd: probe refuses it as corrupt_file instead of trapping in Int(_:).
@Suite struct MatroskaSamplingFrequencyTests {
    @Test(arguments: [Double.nan, .infinity, 1e300, -48000])
    func anImpossibleSamplingFrequencyIsRefused(rate: Double) throws {
        let w = TestMatroska.self
        let bytes = w.ebmlHeader() + w.segment(
            w.info() + w.tracks(w.trackEntry(number: 1, type: 2, codec: "A_AAC", rate: rate))
                + w.cluster(timestamp: 0, w.simpleBlock(track: 1, relative: 0, frames: [w.bytes(20, seed: 1)])))
        let path = try w.write(bytes, name: "rate.mka")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try AudioProbe.probe(path: path)
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .corruptFile && error.message.contains("the sample rate is 0 Hz")
        }
    }
}
