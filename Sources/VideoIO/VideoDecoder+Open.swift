internal import CFFmpeg

extension VideoDecoder {
    /// Opens the container, turning FFmpeg's refusals into the user-facing cases.
    static func openInput(path: String) throws(VideoIOError) -> InputFormatHandle {
        do {
            return try InputFormatHandle(path: path)
        } catch {
            switch error.code {
            case cffmpeg_averror(ENOENT): throw .notFound(path: path)
            case cffmpeg_averror(EACCES), cffmpeg_averror(EPERM), cffmpeg_averror(EISDIR), cffmpeg_averror(EIO):
                throw .notReadable(path: path, reason: error.message)
            default: throw .notAVideo(path: path, reason: error.message)
            }
        }
    }

    /// Picks the best video stream and opens a decoder for it.
    /// The corresponding C functions are `av_find_best_stream`, `avcodec_parameters_to_context` and `avcodec_open2`.
    static func openDecoder(input: InputFormatHandle, path: String, threadCount: Int) throws(VideoIOError) -> (Int32, CodecContextHandle) {
        var decoder: UnsafePointer<AVCodec>?
        let found = av_find_best_stream(input.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        if found == FFmpegCode.decoderNotFound {
            throw .unsupportedCodec(path: path, codec: videoCodecNames(input).first ?? "unknown")
        }
        guard found >= 0, let decoder else {
            throw .noVideoStream(path: path, streams: streamDescriptions(input))
        }
        let stream = input.pointer.pointee.streams[Int(found)]!
        do {
            let context = try CodecContextHandle(codec: decoder)
            try check(avcodec_parameters_to_context(context.pointer, stream.pointee.codecpar), "avcodec_parameters_to_context")
            context.pointer.pointee.pkt_timebase = stream.pointee.time_base
            context.pointer.pointee.thread_count = Int32(max(0, threadCount))
            context.pointer.pointee.thread_type = cffmpeg_thread_frame_and_slice()
            try check(avcodec_open2(context.pointer, decoder, nil), "avcodec_open2")
            return (found, context)
        } catch {
            throw .unsupportedCodec(path: path, codec: "\(String(cString: decoder.pointee.name)): \(error.message)")
        }
    }

    /// Codec names of the video streams, with the container's four-character tag when FFmpeg
    /// does not know the codec.
    private static func videoCodecNames(_ input: InputFormatHandle) -> [String] {
        streams(input).filter { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO }.map { stream in
            let parameters = stream.pointee.codecpar.pointee
            if parameters.codec_id != AV_CODEC_ID_NONE { return String(cString: avcodec_get_name(parameters.codec_id)) }
            return fourCC(parameters.codec_tag)
        }
    }

    /// "audio (mp3)"-style descriptions of every stream, for the no-video error.
    private static func streamDescriptions(_ input: InputFormatHandle) -> [String] {
        streams(input).map { stream in
            let parameters = stream.pointee.codecpar.pointee
            let kind = av_get_media_type_string(parameters.codec_type).map { String(cString: $0) } ?? "unknown"
            return "\(kind) (\(String(cString: avcodec_get_name(parameters.codec_id))))"
        }
    }

    private static func streams(_ input: InputFormatHandle) -> [UnsafeMutablePointer<AVStream>] {
        (0..<Int(input.pointer.pointee.nb_streams)).compactMap { input.pointer.pointee.streams[$0] }
    }

    private static func fourCC(_ tag: UInt32) -> String {
        let bytes = (0..<4).map { UInt8((tag >> (8 * UInt32($0))) & 0xFF) }
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        return printable ? "tag '" + String(decoding: bytes, as: UTF8.self) + "'" : "tag 0x" + String(tag, radix: 16)
    }

    /// Stream information as delivered: sizes upright when rotation is applied.
    static func streamInfo(
        input: InputFormatHandle, stream: UnsafeMutablePointer<AVStream>, codec: CodecContextHandle, applyRotation: Bool
    ) -> StreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        let storedWidth = Int(parameters.width)
        let storedHeight = Int(parameters.height)
        var rotation = 0
        if let matrix = cffmpeg_stream_display_matrix(stream) {
            rotation = FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: av_display_rotation_get(matrix))
        }
        let turned = applyRotation && rotation % 180 != 0
        let timeBase = stream.pointee.time_base
        let guessed = av_guess_frame_rate(input.pointer, stream, nil)
        var duration: Double?
        if stream.pointee.duration != FFmpegCode.noTimestamp, stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * av_q2d(timeBase)
        } else if input.pointer.pointee.duration != FFmpegCode.noTimestamp, input.pointer.pointee.duration > 0 {
            duration = Double(input.pointer.pointee.duration) / Double(AV_TIME_BASE)
        }
        let fps = guessed.den > 0 && guessed.num > 0 ? av_q2d(guessed) : 0
        var frameCount: Int?
        if stream.pointee.nb_frames > 0 {
            frameCount = Int(stream.pointee.nb_frames)
        } else if let duration, fps > 0 {
            frameCount = Int((duration * fps).rounded())
        }
        let containerName = input.pointer.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
        return StreamInfo(
            width: turned ? storedHeight : storedWidth, height: turned ? storedWidth : storedHeight,
            storedWidth: storedWidth, storedHeight: storedHeight, rotation: rotation,
            timeBase: Rational(Int(timeBase.num), Int(timeBase.den)),
            averageFrameRate: Rational(Int(stream.pointee.avg_frame_rate.num), Int(stream.pointee.avg_frame_rate.den)),
            realFrameRate: Rational(Int(stream.pointee.r_frame_rate.num), Int(stream.pointee.r_frame_rate.den)),
            fps: fps, duration: duration, frameCountEstimate: frameCount,
            codecName: String(cString: avcodec_get_name(parameters.codec_id)), containerName: containerName)
    }

    /// The byte where the last packet the container indexes ends, when it has an index
    /// (mp4/mov/mkv cues); a file shorter than that was cut off.
    static func indexedEnd(of stream: UnsafeMutablePointer<AVStream>) -> Int64? {
        let count = avformat_index_get_entries_count(stream)
        guard count > 0 else { return nil }
        var end: Int64 = 0
        for i in 0..<count {
            guard let entry = avformat_index_get_entry(stream, i) else { continue }
            end = max(end, entry.pointee.pos + Int64(entry.pointee.size))
        }
        return end > 0 ? end : nil
    }
}
