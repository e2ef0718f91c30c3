/// How a `VideoDecoder` reads its file.
public struct DecodeOptions: Sendable, Equatable {
    /// Frames to deliver, numbered as a full decode numbers them (0-based, inclusive); nil: all.
    /// A range starting after 0 seeks to the keyframe before its start instead of decoding from the beginning.
    public var frameRange: ClosedRange<Int>?
    /// Rotate frames upright by the display rotation (default true).
    public var applyRotation: Bool
    /// Decoder threads: 0 lets FFmpeg choose (one per core, frame and slice threading), 1 decodes
    /// on the calling thread only. The RGB conversion always runs on the calling thread.
    public var threadCount: Int

    public init(frameRange: ClosedRange<Int>? = nil, applyRotation: Bool = true, threadCount: Int = 0) {
        self.frameRange = frameRange
        self.applyRotation = applyRotation
        self.threadCount = threadCount
    }
}
