import Testing
@testable import AudioPrep

@Suite struct AudioInfoTests {
    @Test func durationIsFramesOverRate() {
        let info = AudioInfo(
            container: .wav, codec: "pcm_s16le", sampleRate: 16000, channels: 1, frames: 24000,
            bitsPerSample: 16, sizeBytes: 48044)
        #expect(info.durationSeconds == 1.5)
    }
}
