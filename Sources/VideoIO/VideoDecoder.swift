import Foundation
internal import CFFmpeg

/// Decodes the video stream of a file to upright RGB24 frames in presentation order.
///
/// Opens anything FFmpeg's libraries can (mp4, mov, mkv, avi, webm; H.264, HEVC, VP9, MPEG-4,
/// ProRes, … as this build has them). A plain synchronous object, the decoding stage of the
/// pipeline: call `nextFrame()` until it returns nil, then read `report`.
///
/// ```swift
/// let decoder = try VideoDecoder(url: clip, options: DecodeOptions(frameRange: 30...59))
/// while let frame = try decoder.nextFrame() { use(frame.rgb, frame.index, frame.time) }
/// if let cut = decoder.report.truncation { warn(cut) }
/// ```
///
/// - Frame `index` is the position in a full decode, also for a frame range; `time` comes from the
///   frame's timestamp (variable frame rate safe).
/// - Damaged packets are skipped and counted (`report.corruptPackets`); a file that ends early
///   delivers what it has, then `report.truncation` says where it stopped.
public final class VideoDecoder: FrameSource {
    /// The file being decoded.
    public let url: URL
    public let options: DecodeOptions
    public let info: StreamInfo
    /// Counters and warnings; complete once `nextFrame()` has returned nil.
    public internal(set) var report = DecodeReport()

    let input: InputFormatHandle
    let codec: CodecContextHandle
    let streamIndex: Int32
    let packet: PacketHandle
    let frame: FrameHandle
    let converter = RGBConverter()
    /// Bytes on disk when opened, and how far the container's index says the stream reaches.
    let fileSize: Int64
    let indexedEnd: Int64?
    /// Timestamp of the stream's start (subtracted so times start near 0) and its unit in seconds.
    let startTimestamp: Int64
    let timeBase: Rational

    enum Phase { case reading, draining, finished }
    var phase = Phase.reading
    /// The packet read but refused with EAGAIN, to send again before reading the next.
    var packetPending = false
    /// Frames the decoder produced so far: their index in full-decode numbering.
    var decodedCount = 0
    /// Presentation numbering of packets, built when a frame range starts after frame 0.
    var presentationOrder: PresentationOrder?
    var restartedFromBeginning = false
    var consecutiveFailures = 0
    var truncationReason: String?

    /// Opens `url` and prepares its best video stream.
    ///
    /// - Throws: `VideoIOError` — `.notFound`, `.notReadable`, `.emptyFile`, `.notAVideo`,
    ///   `.noVideoStream`, `.unsupportedCodec`, `.frameRangeOutOfBounds`.
    public init(url: URL, options: DecodeOptions = DecodeOptions()) throws {
        self.url = url
        self.options = options
        let path = url.path
        fileSize = try InputFileCheck.readableFileSize(url)
        input = try Self.openInput(path: path)
        (streamIndex, codec) = try Self.openDecoder(input: input, path: path, threadCount: options.threadCount)
        let stream = input.pointer.pointee.streams[Int(streamIndex)]!
        info = Self.streamInfo(input: input, stream: stream, codec: codec, applyRotation: options.applyRotation)
        indexedEnd = Self.indexedEnd(of: stream)
        startTimestamp = stream.pointee.start_time == FFmpegCode.noTimestamp ? 0 : stream.pointee.start_time
        timeBase = Rational(Int(stream.pointee.time_base.num), Int(stream.pointee.time_base.den))
        do {
            packet = try PacketHandle()
            frame = try FrameHandle()
        } catch {
            throw VideoIOError.decodingFailed(path: path, reason: error.description)
        }
        if let range = options.frameRange, range.lowerBound > 0 {
            try seekToFrame(range)
        }
    }

    /// The next frame in presentation order, or nil at the end of the stream or of the frame range.
    ///
    /// - Throws: `VideoIOError.decodingFailed` when FFmpeg fails in a way that is not one damaged packet.
    public func nextFrame() throws -> VideoFrame? {
        while phase != .finished {
            let received = avcodec_receive_frame(codec.pointer, frame.pointer)
            if received >= 0 {
                consecutiveFailures = 0
                defer { av_frame_unref(frame.pointer) }
                if let delivered = try accept(frame.pointer) { return delivered }
            } else if received == FFmpegCode.again {
                try feed()
            } else if received == FFmpegCode.endOfFile {
                finish()
            } else {
                // A packet that failed to decode surfaced here (frame threading reports late).
                try countCorrupt(FFmpegCallError(code: received, function: "avcodec_receive_frame"))
            }
        }
        return nil
    }

    /// Sends the next packet of the video stream to the decoder, or the end-of-stream flush.
    private func feed() throws {
        guard phase == .reading else {
            // Flushed and still EAGAIN: the decoder has nothing more to give.
            finish()
            return
        }
        if !packetPending {
            let read = av_read_frame(input.pointer, packet.pointer)
            if read == FFmpegCode.endOfFile {
                startDraining()
                return
            }
            if read == FFmpegCode.invalidData {
                try countCorrupt(FFmpegCallError(code: read, function: "av_read_frame"))
                return
            }
            if read < 0 {
                truncationReason = "reading failed: \(FFmpegCallError(code: read, function: "av_read_frame").message)"
                startDraining()
                return
            }
        }
        packetPending = false
        let pkt = packet.pointer
        guard pkt.pointee.stream_index == streamIndex else {
            av_packet_unref(pkt)
            return
        }
        if pkt.pointee.flags & cffmpeg_packet_flag_corrupt() != 0 {
            // The demuxer could not read this packet whole: skip it. Past the end of the file it
            // is the sign of a truncated file.
            if pkt.pointee.pos >= 0, pkt.pointee.pos + Int64(pkt.pointee.size) > fileSize {
                truncationReason = "the last packet is cut off at byte \(fileSize)"
            }
            av_packet_unref(pkt)
            try countCorrupt(FFmpegCallError(code: FFmpegCode.invalidData, function: "av_read_frame"))
            return
        }
        let sent = avcodec_send_packet(codec.pointer, pkt)
        if sent == FFmpegCode.again {
            packetPending = true
            return
        }
        av_packet_unref(pkt)
        if sent < 0 {
            try countCorrupt(FFmpegCallError(code: sent, function: "avcodec_send_packet"))
        } else {
            consecutiveFailures = 0
        }
    }

    private func startDraining() {
        _ = avcodec_send_packet(codec.pointer, nil)
        phase = .draining
    }

    /// Ends decoding and fills in the truncation warning when the file ended early.
    func finish() {
        phase = .finished
        if truncationReason == nil, let indexedEnd, indexedEnd > fileSize {
            truncationReason = "the file has \(fileSize) bytes but its index reaches byte \(indexedEnd)"
        }
        if let reason = truncationReason, report.truncation == nil {
            report.truncation = DecodeReport.Truncation(
                lastFrameIndex: report.framesDelivered > 0 ? lastDeliveredIndex : nil,
                lastFrameTime: report.lastTime, reason: reason)
        }
    }

    /// One damaged packet: counted and skipped. Many in a row without a frame means the stream
    /// is not decodable at all, which is an error.
    private func countCorrupt(_ error: FFmpegCallError) throws(VideoIOError) {
        report.corruptPackets += 1
        consecutiveFailures += 1
        if consecutiveFailures > 1000 {
            throw .decodingFailed(path: url.path, reason: "1000 damaged packets in a row, last: \(error)")
        }
    }

    /// Index of the last frame decoded (delivered or dropped) and of the last one delivered.
    var lastSeenIndex = -1
    var lastDeliveredIndex = -1
}

@available(*, unavailable) extension VideoDecoder: Sendable {}
