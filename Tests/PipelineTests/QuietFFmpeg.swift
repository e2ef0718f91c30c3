import Testing
import VideoIO

/// `@Suite(.quietFFmpeg)`: FFmpeg logs errors only while the suite runs, so encoder banners and
/// statistics stay out of the test output (the level is process-wide, as in the CLI).
struct QuietFFmpeg: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        FFmpegLogLevel.set(.error)
        try await function()
    }
}

extension Trait where Self == QuietFFmpeg {
    static var quietFFmpeg: Self { QuietFFmpeg() }
}
