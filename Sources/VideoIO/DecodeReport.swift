import Foundation

/// What happened while decoding, beyond the frames themselves. Read it after `nextFrame()` returned nil.
public struct DecodeReport: Sendable, Equatable {
    /// Frames delivered so far.
    public var framesDelivered: Int = 0
    /// Packets the demuxer or decoder rejected as damaged; each was skipped and decoding went on.
    public var corruptPackets: Int = 0
    /// Frames delivered although the decoder reported damage in them, which it concealed
    /// (filled from neighbouring pictures); they may show smears or blocks.
    public var concealedFrames: Int = 0
    /// Set when the input ended before the container said it would; the frames before it were delivered.
    public var truncation: Truncation?
    /// Presentation time in seconds of the first and last delivered frame.
    public var firstTime: Double?
    public var lastTime: Double?

    public init() {}

    /// The input stopped early: where, and how we know.
    public struct Truncation: Sendable, Equatable, CustomStringConvertible {
        /// Index of the last frame delivered, nil if none was.
        public var lastFrameIndex: Int?
        /// Its presentation time in seconds.
        public var lastFrameTime: Double?
        /// What showed the truncation (missing bytes, a read error).
        public var reason: String

        public var description: String {
            let stop = lastFrameIndex.map { "after frame \($0) (\(lastFrameTime.map { String(format: "%.3f", $0) } ?? "?") s)" }
                ?? "before the first frame"
            return "input is truncated: decoding stopped \(stop); \(reason)"
        }
    }
}
