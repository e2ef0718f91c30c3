import Foundation
internal import CFFmpeg

/// Writes RGB24 frames to a video file: MP4 (or any container named by the extension) with H.264
/// through libx264 when this FFmpeg has it, otherwise MPEG-4 Part 2.
///
/// The file is written under a temporary name in the same folder and renamed by `finish()`, so an
/// interrupted run never leaves a truncated file under the final name. Timestamps come from
/// `frame.time`, so variable frame rate input keeps its timing.
///
/// ```swift
/// let encoder = try VideoEncoder(url: out, width: info.width, height: info.height, frameRate: info.fps)
/// while let frame = try decoder.nextFrame() { try encoder.append(frame) }
/// try encoder.finish()
/// ```
public final class VideoEncoder {
    /// Which codec to write.
    public enum Codec: Sendable, Equatable {
        /// H.264 (libx264) when available, else MPEG-4 Part 2.
        case automatic
        /// H.264 through libx264; an error when this FFmpeg lacks it.
        case h264
        /// MPEG-4 Part 2 (FFmpeg's own encoder, always present).
        case mpeg4
    }

    /// x264's speed presets, fastest first: a faster preset spends less CPU time per frame and
    /// writes a larger file at the same CRF. MPEG-4 Part 2 ignores it.
    public enum Preset: String, Sendable, Equatable, CaseIterable {
        case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow
    }

    public struct Options: Sendable, Equatable {
        public var codec: Codec
        /// Quality: the x264 CRF (0–51, lower is better; default 18, visually near-lossless) or,
        /// for MPEG-4 Part 2, the quantiser scale (2–31; default 3).
        public var quality: Int?
        /// The x264 preset (default superfast).
        public var preset: Preset
        /// Clockwise rotation (0, 90, 180, 270) players should apply, stored as the display matrix.
        public var displayRotation: Int

        public init(codec: Codec = .automatic, quality: Int? = nil, preset: Preset = .superfast, displayRotation: Int = 0) {
            self.codec = codec
            self.quality = quality
            self.preset = preset
            self.displayRotation = displayRotation
        }
    }

    /// The final file.
    public let url: URL
    /// Size of the frames to append. The encoded size is rounded down to even numbers (4:2:0 video
    /// needs them): an odd last row or column is dropped.
    public let width: Int
    public let height: Int
    public let frameRate: Double
    /// The FFmpeg encoder in use: `libx264` or `mpeg4`.
    public let encoderName: String
    public private(set) var framesWritten = 0

    let temporaryURL: URL
    let output: OutputFormatHandle
    let codec: CodecContextHandle
    let stream: UnsafeMutablePointer<AVStream>
    let scaler: ScalerHandle
    let picture: FrameHandle
    let packet: PacketHandle
    /// Timestamp ticks per second of the encoder's time base.
    let ticksPerSecond: Int64
    var lastTimestamp = Int64.min
    var finished = false

    /// Opens `url` for writing (under a temporary name until `finish()`).
    ///
    /// - Parameters:
    ///   - width, height: size of the frames that will be appended.
    ///   - frameRate: nominal frames per second (the source's); timestamps come from the frames.
    /// - Throws: `VideoIOError.writingFailed` naming the file.
    public init(url: URL, width: Int, height: Int, frameRate: Double, options: Options = Options()) throws {
        let path = url.path
        guard width >= 2, height >= 2, frameRate > 0, frameRate.isFinite else {
            throw VideoIOError.writingFailed(path: path, reason: "invalid size \(width)x\(height) or frame rate \(frameRate)")
        }
        self.url = url
        self.width = width
        self.height = height
        self.frameRate = frameRate
        temporaryURL = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.deletingPathExtension().lastPathComponent).partial-\(UUID().uuidString.prefix(8)).\(url.pathExtension)")
        let parts: Parts
        do {
            parts = try Self.open(
                temporaryPath: temporaryURL.path, width: width, height: height, frameRate: frameRate, options: options)
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw VideoIOError.writingFailed(path: path, reason: error.description)
        }
        encoderName = parts.encoderName
        output = parts.output
        codec = parts.codec
        stream = parts.stream
        scaler = parts.scaler
        picture = parts.picture
        packet = parts.packet
        ticksPerSecond = parts.ticksPerSecond
    }

    deinit {
        if !finished {
            output.closeFile()
            try? FileManager.default.removeItem(at: temporaryURL)
        }
    }

    /// Encodes one frame at `frame.time` seconds.
    ///
    /// - Throws: `VideoIOError.frameMismatch` for a frame of another size, `.writingFailed` when
    ///   encoding or writing fails.
    public func append(_ frame: VideoFrame) throws(VideoIOError) {
        guard !finished else { throw .writingFailed(path: url.path, reason: "append after finish") }
        guard frame.width == width, frame.height == height else {
            throw .frameMismatch(
                path: url.path, reason: "frame \(frame.index) is \(frame.width)x\(frame.height), the video is \(width)x\(height)")
        }
        do {
            try check(av_frame_make_writable(picture.pointer), "av_frame_make_writable")
            let scaled = frame.rgb.withUnsafeBufferPointer { rgb in
                cffmpeg_sws_scale_packed_to_frame(scaler.pointer, rgb.baseAddress, Int32(width * 3), Int32(height & ~1), picture.pointer)
            }
            try check(scaled, "sws_scale")
            // Strictly increasing timestamps: equal times (a duplicated frame) move one tick on.
            var timestamp = Int64((frame.time * Double(ticksPerSecond)).rounded())
            if timestamp <= lastTimestamp { timestamp = lastTimestamp + 1 }
            lastTimestamp = timestamp
            picture.pointer.pointee.pts = timestamp
            try check(avcodec_send_frame(codec.pointer, picture.pointer), "avcodec_send_frame")
            try writeAvailablePackets()
            framesWritten += 1
        } catch {
            throw VideoIOError.writingFailed(path: url.path, reason: error.description)
        }
    }

    /// Flushes the encoder, completes the container and renames the file to its final name.
    public func finish() throws(VideoIOError) {
        guard !finished else { return }
        do {
            try check(avcodec_send_frame(codec.pointer, nil), "avcodec_send_frame(flush)")
            try writeAvailablePackets()
            try check(av_write_trailer(output.pointer), "av_write_trailer")
            output.closeFile()
        } catch {
            throw VideoIOError.writingFailed(path: url.path, reason: error.description)
        }
        guard rename(temporaryURL.path, url.path) == 0 else {
            throw .writingFailed(path: url.path, reason: "renaming from \(temporaryURL.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        finished = true
    }

    private func writeAvailablePackets() throws(FFmpegCallError) {
        while true {
            let received = avcodec_receive_packet(codec.pointer, packet.pointer)
            if received == FFmpegCode.again || received == FFmpegCode.endOfFile { return }
            try check(received, "avcodec_receive_packet")
            av_packet_rescale_ts(packet.pointer, codec.pointer.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            try check(av_interleaved_write_frame(output.pointer, packet.pointer), "av_interleaved_write_frame")
        }
    }
}

@available(*, unavailable) extension VideoEncoder: Sendable {}
