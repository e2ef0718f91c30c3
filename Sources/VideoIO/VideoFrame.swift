/// One decoded picture, upright, as packed RGB24.
///
/// `index` is the frame's position in a full decode of the input (0-based), also when a
/// frame range was requested; `time` is its presentation time in seconds, taken from the
/// stream's timestamps (never derived from index / fps).
public struct VideoFrame: Sendable, Equatable {
    /// Position in a full decode of the input, 0-based.
    public var index: Int
    /// Presentation time in seconds from the start of the stream.
    public var time: Double
    /// Width in pixels (upright).
    public var width: Int
    /// Height in pixels (upright).
    public var height: Int
    /// Packed RGB24, row-major: `rgb.count == width * height * 3`.
    public var rgb: [UInt8]

    public init(index: Int, time: Double, width: Int, height: Int, rgb: [UInt8]) {
        precondition(rgb.count == width * height * 3, "VideoFrame: \(rgb.count) bytes for \(width)x\(height) RGB24")
        self.index = index
        self.time = time
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}
