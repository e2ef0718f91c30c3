/// Why a video, image or output file could not be used: which file, what happened, what to do.
///
/// Every case carries the path; `description` is one line meant for the user.
/// Corrupt packets and truncation are not errors: decoding goes on and `DecodeReport` counts them.
public enum VideoIOError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path exists but cannot be read (permissions, a folder where a file is expected, I/O).
    case notReadable(path: String, reason: String)
    /// The file has zero bytes.
    case emptyFile(path: String)
    /// FFmpeg recognises no media container in the file (a text file named `.mp4`, a half-written
    /// file without its index, another kind of file).
    case notAVideo(path: String, reason: String)
    /// The container holds streams, but none is video.
    case noVideoStream(path: String, streams: [String])
    /// The video stream uses a codec this build of FFmpeg cannot decode.
    case unsupportedCodec(path: String, codec: String)
    /// A folder given as input holds no PNG or JPEG images.
    case noImages(path: String)
    /// An image in a folder differs in size from the first one.
    case imageSizeMismatch(path: String, expected: String, found: String)
    /// The requested frame range starts after the last frame.
    case frameRangeOutOfBounds(path: String, range: ClosedRange<Int>, frameCount: Int)
    /// FFmpeg failed in the middle of decoding in a way that is not a corrupt packet.
    case decodingFailed(path: String, reason: String)
    /// A frame handed to a writer does not match what the writer was opened for.
    case frameMismatch(path: String, reason: String)
    /// Writing a video or image failed; the final file name was not created.
    case writingFailed(path: String, reason: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .notFound(let path), .notReadable(let path, _), .emptyFile(let path), .notAVideo(let path, _),
            .noVideoStream(let path, _), .unsupportedCodec(let path, _), .noImages(let path),
            .imageSizeMismatch(let path, _, _), .frameRangeOutOfBounds(let path, _, _),
            .decodingFailed(let path, _), .frameMismatch(let path, _), .writingFailed(let path, _):
            return path
        }
    }

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or folder; check the path."
        case .notReadable(let path, let reason):
            return "\(path): cannot be read (\(reason)); check that it is a readable file."
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes); the copy or download may have failed."
        case .notAVideo(let path, let reason):
            return "\(path): not a video FFmpeg recognises (\(reason)); pass an mp4/mov/mkv/avi/webm file, "
                + "or re-export it if it was cut off before its index was written."
        case .noVideoStream(let path, let streams):
            let found = streams.isEmpty ? "no streams" : "only " + streams.joined(separator: ", ")
            return "\(path): contains no video stream (\(found)); pass a file with video."
        case .unsupportedCodec(let path, let codec):
            return "\(path): video codec '\(codec)' cannot be decoded by this FFmpeg build; "
                + "convert it, e.g. `ffmpeg -i in -c:v libx264 out.mp4`."
        case .noImages(let path):
            return "\(path): the folder holds no PNG or JPEG images; pass a folder of frames or a video."
        case .imageSizeMismatch(let path, let expected, let found):
            return "\(path): image is \(found) but the first image is \(expected); all frames of a folder must share one size."
        case .frameRangeOutOfBounds(let path, let range, let frameCount):
            return "\(path): frames \(range.lowerBound):\(range.upperBound) requested but the video has \(frameCount) frames "
                + "(0:\(max(frameCount - 1, 0)))."
        case .decodingFailed(let path, let reason):
            return "\(path): decoding failed (\(reason)); the file may be damaged, try re-encoding it."
        case .frameMismatch(let path, let reason):
            return "\(path): \(reason)."
        case .writingFailed(let path, let reason):
            return "\(path): could not be written (\(reason)); check the folder exists, is writable and has space."
        }
    }
}
