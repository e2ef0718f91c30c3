internal import CFFmpeg

/// A failed FFmpeg call: the negative `AVERROR` code, FFmpeg's message for it and the C function
/// that returned it. Internal: the public face of every failure is a `VideoIOError` naming the file.
struct FFmpegCallError: Error, CustomStringConvertible, Equatable {
    let code: Int32
    let function: String

    /// FFmpeg's text for `code` (`av_strerror`; `av_err2str` is a macro Swift cannot see).
    var message: String {
        let size = Int(cffmpeg_error_max_string_size())
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: size) { buffer in
            guard av_strerror(code, buffer.baseAddress, size) == 0 else { return "error \(code)" }
            return String(cString: buffer.baseAddress!)
        }
    }

    var description: String { "\(function) failed: \(message) (\(code))" }
}

/// Throws when an FFmpeg return value is negative; otherwise returns it.
@discardableResult
func check(_ result: Int32, _ function: String) throws(FFmpegCallError) -> Int32 {
    guard result >= 0 else { throw FFmpegCallError(code: result, function: function) }
    return result
}

/// Return codes that mean a state, not a failure.
enum FFmpegCode {
    static let again = cffmpeg_averror(EAGAIN)
    static let endOfFile = cffmpeg_averror_eof()
    static let invalidData = cffmpeg_averror_invaliddata()
    static let decoderNotFound = cffmpeg_averror_decoder_not_found()
    static let encoderNotFound = cffmpeg_averror_encoder_not_found()
    static let streamNotFound = cffmpeg_averror_stream_not_found()
    static let outOfMemory = cffmpeg_averror(ENOMEM)
    static let noTimestamp = cffmpeg_nopts_value()
}
