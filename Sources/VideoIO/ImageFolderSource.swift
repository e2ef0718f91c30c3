import Foundation

/// PNG and JPEG images as a frame source: every image of a folder in natural name order
/// (`2.png` before `10.png`), or one image file.
///
/// Images are decoded by the same FFmpeg libraries as videos and come out as the same
/// `VideoFrame`s. They carry no timestamps, so frame `i` is at `i / frameRate` seconds.
///
/// ```swift
/// let source = try ImageFolderSource(url: folder, frameRate: 30)
/// while let frame = try source.nextFrame() { … }
/// ```
public final class ImageFolderSource: FrameSource {
    /// The folder or image file given.
    public let url: URL
    /// The image files, in frame order (all of them, also when a frame range is set).
    public let files: [URL]
    public let info: StreamInfo
    public let frameRange: ClosedRange<Int>?
    private var nextIndex: Int
    private var firstFrame: VideoFrame?

    /// Extensions read as images (case-insensitive).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// - Parameters:
    ///   - url: a folder of PNG/JPEG images, or one image file.
    ///   - frameRate: frames per second to assume for timing (images have none).
    ///   - frameRange: images to deliver, by position in the natural order (inclusive); nil: all.
    /// - Throws: `VideoIOError` — `.notFound`, `.notReadable`, `.noImages`, `.notAVideo` for an
    ///   image FFmpeg cannot read, `.frameRangeOutOfBounds`.
    public init(url: URL, frameRate: Double = 30, frameRange: ClosedRange<Int>? = nil) throws {
        self.url = url
        self.frameRange = frameRange
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw VideoIOError.notFound(path: url.path)
        }
        if isFolder.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            } catch {
                throw VideoIOError.notReadable(path: url.path, reason: error.localizedDescription)
            }
            files = names
                .filter { !$0.hasPrefix(".") && Self.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted(by: NaturalOrder.areInIncreasingOrder)
                .map { url.appendingPathComponent($0) }
            guard !files.isEmpty else { throw VideoIOError.noImages(path: url.path) }
        } else {
            files = [url]
        }
        if let frameRange {
            guard frameRange.lowerBound >= 0, frameRange.lowerBound < files.count else {
                throw VideoIOError.frameRangeOutOfBounds(path: url.path, range: frameRange, frameCount: files.count)
            }
        }
        nextIndex = frameRange?.lowerBound ?? 0
        let first = try Self.decodeImage(files[nextIndex], index: nextIndex, frameRate: frameRate)
        firstFrame = first.frame
        let rate = frameRate > 0 && frameRate.isFinite ? frameRate : 30
        let timeBase = rate == rate.rounded() ? Rational(1, Int(rate)) : Rational(1000, Int((rate * 1000).rounded()))
        info = StreamInfo(
            width: first.frame.width, height: first.frame.height, storedWidth: first.frame.width,
            storedHeight: first.frame.height, rotation: 0, timeBase: timeBase,
            averageFrameRate: Rational(timeBase.denominator, timeBase.numerator),
            realFrameRate: Rational(timeBase.denominator, timeBase.numerator), fps: rate,
            duration: Double(files.count) / rate, frameCountEstimate: files.count,
            codecName: first.codecName, containerName: "image folder")
    }

    public func nextFrame() throws -> VideoFrame? {
        let last = min(frameRange?.upperBound ?? Int.max, files.count - 1)
        guard nextIndex <= last else { return nil }
        defer { nextIndex += 1 }
        if let first = firstFrame {
            firstFrame = nil
            return first
        }
        let frame = try Self.decodeImage(files[nextIndex], index: nextIndex, frameRate: info.fps).frame
        guard frame.width == info.width, frame.height == info.height else {
            throw VideoIOError.imageSizeMismatch(
                path: files[nextIndex].path, expected: "\(info.width)x\(info.height)", found: "\(frame.width)x\(frame.height)")
        }
        return frame
    }

    /// The first picture of one image file, numbered and timed as frame `index`.
    private static func decodeImage(_ file: URL, index: Int, frameRate: Double) throws -> (frame: VideoFrame, codecName: String) {
        let decoder = try VideoDecoder(url: file, options: DecodeOptions(threadCount: 1))
        guard var frame = try decoder.nextFrame() else {
            throw VideoIOError.notAVideo(path: file.path, reason: "no picture could be decoded from the image")
        }
        frame.index = index
        frame.time = Double(index) / (frameRate > 0 ? frameRate : 30)
        return (frame, decoder.info.codecName)
    }
}
