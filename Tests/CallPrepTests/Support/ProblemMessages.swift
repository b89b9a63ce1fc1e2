/// The messages validate prints for the problems of the committed test audio, as the tests
/// expect them word for word.
enum ProblemMessages {
    static let mono =
        "the file is mono: Intelligence separates speakers only by channel, so every sentence gets the same speaker. Put each participant on their own channel with `callprep merge`."
    static let tooShortOneSecond = "the audio lasts 1.000 s; Intelligence does not transcribe media shorter than 2 seconds."
    static let tooShortHalfSecond = "the audio lasts 0.500 s; Intelligence does not transcribe media shorter than 2 seconds."
    static let notAudio =
        "not an audio format callprep reads (the content is neither WAV, FLAC, MP3, Ogg, AIFF, Matroska/WebM, MP4 nor another known audio container)."
}
