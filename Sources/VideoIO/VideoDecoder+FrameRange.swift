internal import CFFmpeg

/// The presentation numbering of a stream's packets, from a demux-only pass (no decoding):
/// frame n of a full decode is the packet with the n-th smallest timestamp.
struct PresentationOrder {
    /// Timestamps sorted by presentation, and the rank of each.
    let sortedTimestamps: [Int64]
    private let rankOfTimestamp: [Int64: Int]
    /// Where to seek to decode from the very first packet.
    let beginning: Int64

    init(sortedTimestamps: [Int64], beginning: Int64) {
        self.sortedTimestamps = sortedTimestamps
        self.beginning = beginning
        var ranks: [Int64: Int] = [:]
        for (rank, timestamp) in sortedTimestamps.enumerated() where ranks[timestamp] == nil { ranks[timestamp] = rank }
        rankOfTimestamp = ranks
    }

    func index(ofTimestamp timestamp: Int64) -> Int? { rankOfTimestamp[timestamp] }
}

extension VideoDecoder {
    /// Packets a decoder may hold back before showing them (B-frame reordering); H.264 and HEVC
    /// allow at most 16. The scan reads this many past the range so that its numbering is exact.
    static let reorderMargin = 64

    /// Positions the demuxer at the keyframe before the range's first frame.
    ///
    /// Reads packets (not decoding them) up to just past the range's end to learn the
    /// presentation numbering, then seeks to the last keyframe shown no later than frame A.
    /// Decoding from there, `accept` drops the frames before A.
    func seekToFrame(_ range: ClosedRange<Int>) throws(VideoIOError) {
        let limit = range.upperBound >= Int.max - Self.reorderMargin ? Int.max : range.upperBound + 1 + Self.reorderMargin
        var timestamps: [Int64] = []
        var keyframes: [(pts: Int64, seekTarget: Int64)] = []
        var firstSeekTarget: Int64?
        let pkt = packet.pointer
        while timestamps.count < limit {
            let read = av_read_frame(input.pointer, pkt)
            if read == FFmpegCode.invalidData { continue }
            if read < 0 { break }
            defer { av_packet_unref(pkt) }
            guard pkt.pointee.stream_index == streamIndex,
                pkt.pointee.flags & cffmpeg_packet_flag_discard() == 0,
                pkt.pointee.flags & cffmpeg_packet_flag_corrupt() == 0
            else { continue }
            let pts = pkt.pointee.pts != FFmpegCode.noTimestamp ? pkt.pointee.pts : pkt.pointee.dts
            guard pts != FFmpegCode.noTimestamp else { continue }
            let seekTarget = pkt.pointee.dts != FFmpegCode.noTimestamp ? pkt.pointee.dts : pts
            if firstSeekTarget == nil { firstSeekTarget = seekTarget }
            timestamps.append(pts)
            if pkt.pointee.flags & cffmpeg_packet_flag_key() != 0 { keyframes.append((pts, seekTarget)) }
        }
        let order = PresentationOrder(sortedTimestamps: timestamps.sorted(), beginning: firstSeekTarget ?? startTimestamp)
        guard range.lowerBound < order.sortedTimestamps.count else {
            throw .frameRangeOutOfBounds(path: url.path, range: range, frameCount: order.sortedTimestamps.count)
        }
        presentationOrder = order
        let firstShown = order.sortedTimestamps[range.lowerBound]
        // The last keyframe in decode order that is shown no later than frame A.
        let target = keyframes.last { $0.pts <= firstShown }?.seekTarget ?? order.beginning
        try seek(toTimestamp: target)
    }

    /// Decodes again from the start of the stream; used when a seek lands after frame A.
    func restartFromBeginning() throws(VideoIOError) {
        restartedFromBeginning = true
        try seek(toTimestamp: presentationOrder?.beginning ?? startTimestamp)
    }

    /// The corresponding C functions are `av_seek_frame` and `avcodec_flush_buffers`.
    private func seek(toTimestamp timestamp: Int64) throws(VideoIOError) {
        let sought = av_seek_frame(input.pointer, streamIndex, timestamp, AVSEEK_FLAG_BACKWARD)
        if sought < 0 {
            throw .decodingFailed(path: url.path, reason: FFmpegCallError(code: sought, function: "av_seek_frame").description)
        }
        avcodec_flush_buffers(codec.pointer)
        packetPending = false
        phase = .reading
    }
}
