/// An exact ratio of two integers, as FFmpeg keeps time bases and frame rates.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The ratio as a Double; 0 when the denominator is 0 (FFmpeg's "unknown").
    public var value: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }

    /// `"num/den"`, as FFmpeg prints it.
    public var description: String { "\(numerator)/\(denominator)" }
}

/// What a frame source knows about its video before decoding it.
///
/// `width` and `height` are the size of the frames the source delivers: upright (after the
/// display rotation) unless rotation was disabled in `DecodeOptions`.
public struct StreamInfo: Sendable, Equatable {
    /// Width of delivered frames in pixels.
    public var width: Int
    /// Height of delivered frames in pixels.
    public var height: Int
    /// Size of the pictures as stored in the file, before rotation.
    public var storedWidth: Int
    public var storedHeight: Int
    /// Clockwise rotation in degrees (0, 90, 180 or 270) that shows the stored pictures upright,
    /// from the stream's display matrix (phones record portrait video this way).
    public var rotation: Int
    /// The unit of the stream's timestamps in seconds.
    public var timeBase: Rational
    /// Average frame rate over the stream (`avg_frame_rate`); 0/0 when unknown.
    public var averageFrameRate: Rational
    /// The lowest rate that represents all timestamps exactly (`r_frame_rate`); 0/0 when unknown.
    public var realFrameRate: Rational
    /// The frame rate to assume for the video (FFmpeg's best guess from the two above), frames/s.
    public var fps: Double
    /// Duration in seconds; nil when the container does not say.
    public var duration: Double?
    /// Frame count stated by the container, else duration × fps rounded; nil when neither is known.
    public var frameCountEstimate: Int?
    /// Codec name (`h264`, `hevc`, `png`, …).
    public var codecName: String
    /// Container name as FFmpeg calls it (`mov,mp4,m4a,3gp,3g2,mj2`, `image2`, …).
    public var containerName: String

    public init(
        width: Int, height: Int, storedWidth: Int, storedHeight: Int, rotation: Int, timeBase: Rational,
        averageFrameRate: Rational, realFrameRate: Rational, fps: Double, duration: Double?,
        frameCountEstimate: Int?, codecName: String, containerName: String
    ) {
        self.width = width
        self.height = height
        self.storedWidth = storedWidth
        self.storedHeight = storedHeight
        self.rotation = rotation
        self.timeBase = timeBase
        self.averageFrameRate = averageFrameRate
        self.realFrameRate = realFrameRate
        self.fps = fps
        self.duration = duration
        self.frameCountEstimate = frameCountEstimate
        self.codecName = codecName
        self.containerName = containerName
    }
}
