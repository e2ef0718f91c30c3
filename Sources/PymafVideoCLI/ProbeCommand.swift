import ArgumentParser
import Foundation
import VideoIO

/// `pymaf-video probe FILE [--frames A:B] [--decode]`: stream information as JSON.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Print a video's stream information as JSON; with --decode, decode it and report what was found.",
        usage: "pymaf-video probe <file> [--frames <A:B>] [--decode]")

    @Argument(help: "The video file.")
    var file: String

    @Option(help: ArgumentHelp("Frames to decode, inclusive and 0-based.", valueName: "A:B"),
            transform: { text in
                guard let range = DecodeOptions.parseFrameRange(text) else {
                    throw ValidationError("--frames takes A:B with 0 <= A <= B (or A: / :B), got '\(text)'")
                }
                return range
            })
    var frames: ClosedRange<Int>?

    @Flag(help: "Decode the frames and report frames_decoded, first_pts, last_pts, corrupt_packets, truncated.")
    var decode = false

    func run() throws {
        FFmpegLogLevel.set(.quiet)
        do {
            let summary = try ProbeSummary.probe(url: URL(fileURLWithPath: file), frameRange: frames, decode: decode)
            print(try summary.json())
        } catch let error as VideoIOError {
            FileHandle.standardError.write(Data("pymaf-video: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }
}
