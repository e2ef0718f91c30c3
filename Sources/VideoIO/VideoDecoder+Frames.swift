internal import CFFmpeg

extension VideoDecoder {
    /// Numbers, times, converts and rotates one decoded picture; nil when it is outside the frame
    /// range (before it: dropped; after it: decoding ends).
    func accept(_ decoded: UnsafeMutablePointer<AVFrame>) throws -> VideoFrame? {
        let timestamp = decoded.pointee.pts != FFmpegCode.noTimestamp ? decoded.pointee.pts : decoded.pointee.best_effort_timestamp
        let index: Int
        if let presentationOrder {
            index = presentationOrder.index(ofTimestamp: timestamp) ?? lastSeenIndex + 1
        } else {
            index = decodedCount
        }
        decodedCount += 1
        lastSeenIndex = index

        if let range = options.frameRange {
            if index < range.lowerBound { return nil }
            if index > range.upperBound {
                if report.framesDelivered == 0, presentationOrder != nil, !restartedFromBeginning {
                    // The seek landed after the range: decode again from the beginning.
                    try restartFromBeginning()
                    return nil
                }
                finish()
                return nil
            }
            if report.framesDelivered == 0, index > range.lowerBound, presentationOrder != nil, !restartedFromBeginning {
                try restartFromBeginning()
                return nil
            }
        }

        let time: Double
        if timestamp != FFmpegCode.noTimestamp {
            time = Double((timestamp - startTimestamp) * Int64(timeBase.numerator)) / Double(timeBase.denominator)
        } else {
            // No timestamp at all (rare raw streams): one frame period after the previous one.
            time = (report.lastTime ?? -1 / max(info.fps, 1)) + 1 / max(info.fps, 1)
        }

        var rgb: [UInt8]
        do {
            rgb = try converter.rgb(from: decoded)
        } catch {
            throw VideoIOError.decodingFailed(path: url.path, reason: error.description)
        }
        var width = Int(decoded.pointee.width)
        var height = Int(decoded.pointee.height)
        if options.applyRotation, info.rotation != 0 {
            (rgb, width, height) = FrameRotation.rotate(rgb, width: width, height: height, clockwiseDegrees: info.rotation)
        }

        if decoded.pointee.decode_error_flags != 0 || decoded.pointee.flags & cffmpeg_frame_flag_corrupt() != 0 {
            report.concealedFrames += 1
        }
        if report.framesDelivered == 0 { report.firstTime = time }
        report.framesDelivered += 1
        report.lastTime = time
        lastDeliveredIndex = index
        if let range = options.frameRange, index >= range.upperBound { finish() }
        return VideoFrame(index: index, time: time, width: width, height: height, rgb: rgb)
    }
}
