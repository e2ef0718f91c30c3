import Foundation

/// What `pymaf-video probe` prints: a video's stream information and, after a decode, what the
/// decode found. Encodes to JSON with snake_case keys; unknown values are `null`.
public struct ProbeSummary: Sendable, Equatable, Encodable {
    public var file: String
    public var info: StreamInfo
    public var frameRange: ClosedRange<Int>?
    /// Present when the frames were decoded.
    public var decode: DecodeReport?

    /// Opens `url`, and with `decode` decodes the frames (of `frameRange`, or all) to fill in the report.
    ///
    /// - Throws: `VideoIOError` for unusable input.
    public static func probe(url: URL, frameRange: ClosedRange<Int>? = nil, decode: Bool) throws -> ProbeSummary {
        let decoder = try VideoDecoder(url: url, options: DecodeOptions(frameRange: frameRange))
        var summary = ProbeSummary(file: url.path, info: decoder.info, frameRange: frameRange, decode: nil)
        if decode {
            while try decoder.nextFrame() != nil {}
            summary.decode = decoder.report
        }
        return summary
    }

    /// Pretty-printed JSON, keys sorted.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private enum Keys: String, CodingKey {
        case file, width, height, storedWidth = "stored_width", storedHeight = "stored_height", rotation, fps
        case timeBase = "time_base", averageFrameRate = "average_frame_rate", realFrameRate = "real_frame_rate"
        case duration, frameCountEstimate = "frame_count_estimate", codec, container, frames
        case framesDecoded = "frames_decoded", firstPts = "first_pts", lastPts = "last_pts"
        case corruptPackets = "corrupt_packets", concealedFrames = "concealed_frames", truncated, truncation
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(file, forKey: .file)
        try container.encode(info.width, forKey: .width)
        try container.encode(info.height, forKey: .height)
        try container.encode(info.storedWidth, forKey: .storedWidth)
        try container.encode(info.storedHeight, forKey: .storedHeight)
        try container.encode(info.rotation, forKey: .rotation)
        try container.encode(info.fps, forKey: .fps)
        try container.encode(info.timeBase.description, forKey: .timeBase)
        try container.encode(info.averageFrameRate.description, forKey: .averageFrameRate)
        try container.encode(info.realFrameRate.description, forKey: .realFrameRate)
        try container.encode(info.duration, forKey: .duration)
        try container.encode(info.frameCountEstimate, forKey: .frameCountEstimate)
        try container.encode(info.codecName, forKey: .codec)
        try container.encode(info.containerName, forKey: .container)
        if let frameRange { try container.encode("\(frameRange.lowerBound):\(frameRange.upperBound)", forKey: .frames) }
        if let decode {
            try container.encode(decode.framesDelivered, forKey: .framesDecoded)
            try container.encode(decode.firstTime, forKey: .firstPts)
            try container.encode(decode.lastTime, forKey: .lastPts)
            try container.encode(decode.corruptPackets, forKey: .corruptPackets)
            try container.encode(decode.concealedFrames, forKey: .concealedFrames)
            try container.encode(decode.truncation != nil, forKey: .truncated)
            try container.encode(decode.truncation?.description, forKey: .truncation)
        }
    }
}

extension DecodeOptions {
    /// Parses a frame range written `A:B` (inclusive, 0-based), `A:` (to the end) or `:B`.
    ///
    /// - Returns: nil when the text is not such a range or B < A.
    public static func parseFrameRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let start = parts[0].isEmpty ? 0 : Int(parts[0])
        let end = parts[1].isEmpty ? Int.max : Int(parts[1])
        guard let start, let end, start >= 0, end >= start else { return nil }
        return start...end
    }
}
