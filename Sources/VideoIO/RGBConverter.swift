internal import CFFmpeg

/// Converts decoded pictures of any pixel format to packed RGB24 with libswscale, keeping one
/// scaler context while the input format stays the same.
///
/// Colour follows the frame's tags, as FFmpeg's own `scale` filter does: the YUV matrix from
/// `colorspace` (BT.601 when unspecified) and the range from `color_range` or a `yuvj*` format.
/// The corresponding C functions are `sws_getContext`, `sws_setColorspaceDetails` and `sws_scale`.
final class RGBConverter {
    private struct Key: Equatable {
        var width: Int32
        var height: Int32
        var format: Int32
        var colorspace: Int32
        var fullRange: Bool
    }

    private var context: OpaquePointer?
    private var key: Key?

    deinit { sws_freeContext(context) }

    /// The frame as packed RGB24 (`width * height * 3` bytes, no padding).
    func rgb(from frame: UnsafePointer<AVFrame>) throws(FFmpegCallError) -> [UInt8] {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        let scaler = try scaler(for: frame)
        var status: Int32 = 0
        let rgb = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            status = cffmpeg_sws_scale_frame_to_packed(scaler, frame, buffer.baseAddress, Int32(width * 3))
            count = width * height * 3
        }
        try check(status, "sws_scale")
        return rgb
    }

    private func scaler(for frame: UnsafePointer<AVFrame>) throws(FFmpegCallError) -> OpaquePointer {
        let (format, jpegRange) = Self.unJPEG(frame.pointee.format)
        let key = Key(
            width: frame.pointee.width, height: frame.pointee.height, format: format,
            colorspace: Int32(frame.pointee.colorspace.rawValue),
            fullRange: jpegRange || frame.pointee.color_range == AVCOL_RANGE_JPEG)
        if let context, key == self.key { return context }
        sws_freeContext(context)
        context = sws_getContext(
            key.width, key.height, AVPixelFormat(rawValue: key.format),
            key.width, key.height, AV_PIX_FMT_RGB24, SWS_BICUBIC, nil, nil, nil)
        guard let context else {
            self.key = nil
            throw FFmpegCallError(code: cffmpeg_averror(EINVAL), function: "sws_getContext")
        }
        // Decoded YUV → RGB: the frame's matrix and range in, full-range RGB out.
        let coefficients = sws_getCoefficients(key.colorspace)
        _ = sws_setColorspaceDetails(context, coefficients, key.fullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16)
        self.key = key
        return context
    }

    /// Maps the deprecated full-range `yuvj*` formats to their plain twins plus a full-range flag.
    private static func unJPEG(_ format: Int32) -> (format: Int32, fullRange: Bool) {
        switch AVPixelFormat(rawValue: format) {
        case AV_PIX_FMT_YUVJ420P: return (AV_PIX_FMT_YUV420P.rawValue, true)
        case AV_PIX_FMT_YUVJ422P: return (AV_PIX_FMT_YUV422P.rawValue, true)
        case AV_PIX_FMT_YUVJ444P: return (AV_PIX_FMT_YUV444P.rawValue, true)
        case AV_PIX_FMT_YUVJ440P: return (AV_PIX_FMT_YUV440P.rawValue, true)
        case AV_PIX_FMT_YUVJ411P: return (AV_PIX_FMT_YUV411P.rawValue, true)
        default: return (format, false)
        }
    }
}

@available(*, unavailable) extension RGBConverter: Sendable {}
