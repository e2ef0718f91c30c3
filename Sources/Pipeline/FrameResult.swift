import BodyModel
import PersonTracking
import VideoIO

/// One frame after regression: its place in the video, its pixels when a later stage draws on
/// them, and everyone regressed in it. The value that flows from the regressor to the smoother,
/// the exporters and the renderer, in frame order.
public struct FrameResult: Sendable {
    /// Position in a full decode of the input, 0-based (also when a frame range was asked for).
    public var index: Int
    /// Presentation time in seconds.
    public var time: Double
    /// Upright frame size in pixels.
    public var width: Int
    public var height: Int
    /// Packed RGB24 (height, width, 3) when the renderer needs the frame; empty otherwise, so
    /// frames that are only exported do not keep their pixels.
    public var rgb: [UInt8]
    /// The people regressed in this frame, by increasing track id.
    public var people: [PersonFrame]

    public init(frame: VideoFrame, keepPixels: Bool, people: [PersonFrame] = []) {
        index = frame.index
        time = frame.time
        width = frame.width
        height = frame.height
        rgb = keepPixels ? frame.rgb : []
        self.people = people
    }

    /// The frame's picture; only valid when the pixels were kept.
    var videoFrame: VideoFrame { VideoFrame(index: index, time: time, width: width, height: height, rgb: rgb) }
}

/// Consecutive frames and the crops of everyone in them, for one regressor call.
///
/// Frames without people travel in the batch too, so the order of frames downstream is the
/// order of the video.
public struct CropBatch: Sendable {
    /// The frames, in order, with no people yet.
    public var frames: [FrameResult]
    /// Normalized crops, (N, 3, 224, 224), one per entry of `owners`.
    public var crops: [Float]
    /// For crop n: the position of its frame in `frames` and the person.
    public var owners: [(frame: Int, person: TrackedPerson)]

    public init() {
        frames = []
        crops = []
        owners = []
    }
}
