/// Frames in presentation order, one at a time: a video file or a folder of images.
///
/// A plain synchronous object: call `nextFrame()` until it returns nil. Not thread-safe and not
/// Sendable; the frames it returns are values that may go anywhere.
public protocol FrameSource: AnyObject {
    /// What is known about the frames before decoding them.
    var info: StreamInfo { get }
    /// The next frame, or nil at the end.
    func nextFrame() throws -> VideoFrame?
}
