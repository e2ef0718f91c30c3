import Foundation
internal import CFFmpeg

/// Writes PNG images with FFmpeg's PNG encoder: packed RGB24 pictures and 8-bit gray ones (mattes).
///
/// Each file is written under a temporary name in the same folder and renamed when complete.
///
/// ```swift
/// try PNGWriter.write(rgb: frame.rgb, width: frame.width, height: frame.height, to: folder.appendingPathComponent("000001.png"))
/// try PNGWriter.write(gray: alpha, width: w, height: h, to: mattePath)
/// ```
public enum PNGWriter {
    /// Writes a packed RGB24 picture (`rgb.count == width * height * 3`).
    public static func write(rgb: [UInt8], width: Int, height: Int, to url: URL) throws(VideoIOError) {
        try write(pixels: rgb, channels: 3, format: AV_PIX_FMT_RGB24, width: width, height: height, to: url)
    }

    /// Writes an 8-bit gray picture (`gray.count == width * height`).
    public static func write(gray: [UInt8], width: Int, height: Int, to url: URL) throws(VideoIOError) {
        try write(pixels: gray, channels: 1, format: AV_PIX_FMT_GRAY8, width: width, height: height, to: url)
    }

    private static func write(
        pixels: [UInt8], channels: Int, format: AVPixelFormat, width: Int, height: Int, to url: URL
    ) throws(VideoIOError) {
        guard width > 0, height > 0, pixels.count == width * height * channels else {
            throw .frameMismatch(
                path: url.path, reason: "\(pixels.count) bytes for a \(width)x\(height) picture with \(channels) channel(s)")
        }
        let png: [UInt8]
        do {
            png = try encode(pixels: pixels, channels: channels, format: format, width: width, height: height)
        } catch {
            throw .writingFailed(path: url.path, reason: error.description)
        }
        do {
            // `.atomic` writes a temporary file in the same folder and renames it.
            try Data(png).write(to: url, options: .atomic)
        } catch {
            throw .writingFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The PNG file's bytes. The corresponding C functions are `avcodec_send_frame` / `avcodec_receive_packet`.
    static func encode(
        pixels: [UInt8], channels: Int, format: AVPixelFormat, width: Int, height: Int
    ) throws(FFmpegCallError) -> [UInt8] {
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_PNG) else {
            throw FFmpegCallError(code: FFmpegCode.encoderNotFound, function: "avcodec_find_encoder")
        }
        let codec = try CodecContextHandle(codec: encoder)
        codec.pointer.pointee.width = Int32(width)
        codec.pointer.pointee.height = Int32(height)
        codec.pointer.pointee.pix_fmt = format
        codec.pointer.pointee.time_base = AVRational(num: 1, den: 1)
        try check(avcodec_open2(codec.pointer, encoder, nil), "avcodec_open2")

        let frame = try FrameHandle()
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer")
        let rowBytes = width * channels
        let stride = Int(frame.pointer.pointee.linesize.0)
        let plane = frame.pointer.pointee.data.0!
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                (plane + y * stride).update(from: source.baseAddress! + y * rowBytes, count: rowBytes)
            }
        }
        try check(avcodec_send_frame(codec.pointer, frame.pointer), "avcodec_send_frame")
        try check(avcodec_send_frame(codec.pointer, nil), "avcodec_send_frame(flush)")
        let packet = try PacketHandle()
        var bytes: [UInt8] = []
        while true {
            let received = avcodec_receive_packet(codec.pointer, packet.pointer)
            if received == FFmpegCode.endOfFile || received == FFmpegCode.again { break }
            try check(received, "avcodec_receive_packet")
            bytes.append(contentsOf: UnsafeBufferPointer(start: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size)))
            av_packet_unref(packet.pointer)
        }
        return bytes
    }
}
