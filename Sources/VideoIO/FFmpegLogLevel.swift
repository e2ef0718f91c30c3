internal import CFFmpeg

/// How much FFmpeg's libraries print on stderr (their own messages, e.g. "moov atom not found"
/// or concealment notes for damaged H.264). Everything VideoIO needs from them already reaches
/// the caller as a `VideoIOError` or in a `DecodeReport`, so command lines usually choose `.quiet`.
///
/// A process-wide FFmpeg setting: set it once at start-up. The corresponding C function is `av_log_set_level`.
public enum FFmpegLogLevel: Sendable {
    case quiet, fatal, error, warning, info

    public static func set(_ level: FFmpegLogLevel) {
        switch level {
        case .quiet: av_log_set_level(AV_LOG_QUIET)
        case .fatal: av_log_set_level(AV_LOG_FATAL)
        case .error: av_log_set_level(AV_LOG_ERROR)
        case .warning: av_log_set_level(AV_LOG_WARNING)
        case .info: av_log_set_level(AV_LOG_INFO)
        }
    }
}
