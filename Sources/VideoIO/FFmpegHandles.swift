internal import CFFmpeg

// Owned FFmpeg handles. Each lives in a final class whose deinit frees it; none is Sendable:
// a handle stays with the stage that created it and only Swift values leave.

/// An `AVPacket` (reused across reads). The corresponding C functions are `av_packet_alloc` / `av_packet_free`.
final class PacketHandle {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws(FFmpegCallError) {
        guard let packet = av_packet_alloc() else { throw FFmpegCallError(code: FFmpegCode.outOfMemory, function: "av_packet_alloc") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// An `AVFrame` (reused across decodes). The corresponding C functions are `av_frame_alloc` / `av_frame_free`.
final class FrameHandle {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(FFmpegCallError) {
        guard let frame = av_frame_alloc() else { throw FFmpegCallError(code: FFmpegCode.outOfMemory, function: "av_frame_alloc") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}

/// An `AVCodecContext` for one decoder or encoder. The corresponding C functions are
/// `avcodec_alloc_context3` / `avcodec_free_context`.
final class CodecContextHandle {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws(FFmpegCallError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw FFmpegCallError(code: FFmpegCode.outOfMemory, function: "avcodec_alloc_context3")
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// An opened input (`AVFormatContext` from `avformat_open_input`), closed on deinit.
final class InputFormatHandle {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    /// Opens `path` and reads its stream information.
    /// The corresponding C functions are `avformat_open_input` and `avformat_find_stream_info`.
    init(path: String) throws(FFmpegCallError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_open_input(&context, path, nil, nil), "avformat_open_input")
        pointer = context!
        let found = avformat_find_stream_info(pointer, nil)
        if found < 0 {
            avformat_close_input(&context)
            throw FFmpegCallError(code: found, function: "avformat_find_stream_info")
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&context)
    }
}

@available(*, unavailable) extension PacketHandle: Sendable {}
@available(*, unavailable) extension FrameHandle: Sendable {}
@available(*, unavailable) extension CodecContextHandle: Sendable {}
@available(*, unavailable) extension InputFormatHandle: Sendable {}

/// An output container being written (`avformat_alloc_output_context2`), with its file opened by
/// `avio_open`. Deinit closes the file and frees the context; the caller decides what to keep.
final class OutputFormatHandle {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws(FFmpegCallError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&context, nil, nil, path), "avformat_alloc_output_context2")
        guard let context else { throw FFmpegCallError(code: FFmpegCode.outOfMemory, function: "avformat_alloc_output_context2") }
        pointer = context
        if context.pointee.oformat.pointee.flags & cffmpeg_format_flag_nofile() == 0 {
            try check(avio_open(&pointer.pointee.pb, path, AVIO_FLAG_WRITE), "avio_open")
        }
    }

    /// Closes the file; safe to call twice. The corresponding C function is `avio_closep`.
    func closeFile() {
        if pointer.pointee.pb != nil { avio_closep(&pointer.pointee.pb) }
    }

    deinit {
        closeFile()
        avformat_free_context(pointer)
    }
}

/// A libswscale context for one fixed conversion. The corresponding C functions are
/// `sws_getContext` / `sws_freeContext`.
final class ScalerHandle {
    let pointer: OpaquePointer

    init(width: Int, height: Int, from source: AVPixelFormat, to destination: AVPixelFormat) throws(FFmpegCallError) {
        guard let context = sws_getContext(
            Int32(width), Int32(height), source, Int32(width), Int32(height), destination, SWS_BICUBIC, nil, nil, nil)
        else { throw FFmpegCallError(code: cffmpeg_averror(EINVAL), function: "sws_getContext") }
        pointer = context
    }

    deinit { sws_freeContext(pointer) }
}

@available(*, unavailable) extension OutputFormatHandle: Sendable {}
@available(*, unavailable) extension ScalerHandle: Sendable {}
