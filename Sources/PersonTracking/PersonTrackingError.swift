/// Why detection, tracking or a box file failed: says what, where, and what to do.
public enum PersonTrackingError: Error, Equatable, CustomStringConvertible {
    /// The detector model file is not there.
    case detectorModelMissing(path: String)
    /// The model file parsed, but its graph is not the one this engine runs.
    case unsupportedDetectorGraph(path: String, reason: String)
    /// A `--bbox_file` could not be read or parsed; `line` is 1-based (0 when not line-based).
    case malformedBoxFile(path: String, line: Int, reason: String)
    /// A tracking option is out of range.
    case invalidOption(name: String, reason: String)

    public var description: String {
        switch self {
        case let .detectorModelMissing(path):
            "person detector model not found at \(path); run `make models` (it fetches pose_detection.tflite from the mediapipe 0.10.21 wheel on PyPI) or pass its path"
        case let .unsupportedDetectorGraph(path, reason):
            "person detector model \(path) cannot be run: \(reason); use the BlazePose pose_detection.tflite that `make models` fetches"
        case let .malformedBoxFile(path, line, reason):
            line > 0 ? "box file \(path), line \(line): \(reason)" : "box file \(path): \(reason)"
        case let .invalidOption(name, reason):
            "invalid tracking option \(name): \(reason)"
        }
    }
}
