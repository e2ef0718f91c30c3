internal import CFFmpeg

extension VideoEncoder {
    /// The opened handles, built together so a failure frees whatever was made.
    struct Parts {
        var encoderName: String
        var output: OutputFormatHandle
        var codec: CodecContextHandle
        var stream: UnsafeMutablePointer<AVStream>
        var scaler: ScalerHandle
        var picture: FrameHandle
        var packet: PacketHandle
        var ticksPerSecond: Int64
    }

    /// Opens encoder and container, writes the header.
    static func open(
        temporaryPath: String, width: Int, height: Int, frameRate: Double, options: Options
    ) throws(FFmpegCallError) -> Parts {
        let (encoder, name) = try findEncoder(options.codec)
        let evenWidth = width & ~1
        let evenHeight = height & ~1
        let output = try OutputFormatHandle(path: temporaryPath)
        let codec = try CodecContextHandle(codec: encoder)
        guard let stream = avformat_new_stream(output.pointer, nil) else {
            throw FFmpegCallError(code: FFmpegCode.outOfMemory, function: "avformat_new_stream")
        }
        let ticks = ticksPerSecond(frameRate: frameRate)
        configure(
            codec.pointer, width: evenWidth, height: evenHeight, frameRate: frameRate,
            ticksPerSecond: ticks, encoderName: name, quality: options.quality, preset: options.preset)
        if output.pointer.pointee.oformat.pointee.flags & cffmpeg_format_flag_globalheader() != 0 {
            codec.pointer.pointee.flags |= cffmpeg_codec_flag_global_header()
        }
        try check(avcodec_open2(codec.pointer, encoder, nil), "avcodec_open2")
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, codec.pointer), "avcodec_parameters_from_context")
        stream.pointee.time_base = codec.pointer.pointee.time_base
        stream.pointee.avg_frame_rate = codec.pointer.pointee.framerate
        if options.displayRotation % 360 != 0 {
            try check(cffmpeg_stream_set_display_rotation(stream, Double(options.displayRotation)), "av_stream_new_side_data")
        }
        var muxerOptions: OpaquePointer?
        av_dict_set(&muxerOptions, "movflags", "+faststart", 0)
        let header = avformat_write_header(output.pointer, &muxerOptions)
        av_dict_free(&muxerOptions)
        try check(header, "avformat_write_header")

        let scaler = try ScalerHandle(width: evenWidth, height: evenHeight, from: AV_PIX_FMT_RGB24, to: AV_PIX_FMT_YUV420P)
        // Full-range RGB in, limited-range BT.709 YUV out (as tagged on the stream).
        _ = sws_setColorspaceDetails(
            scaler.pointer, sws_getCoefficients(SWS_CS_DEFAULT), 1, sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16)
        let picture = try FrameHandle()
        picture.pointer.pointee.width = Int32(evenWidth)
        picture.pointer.pointee.height = Int32(evenHeight)
        picture.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        try check(av_frame_get_buffer(picture.pointer, 0), "av_frame_get_buffer")
        return Parts(
            encoderName: name, output: output, codec: codec, stream: stream, scaler: scaler, picture: picture,
            packet: try PacketHandle(), ticksPerSecond: ticks)
    }

    /// libx264 when asked for or automatic and present; MPEG-4 Part 2 otherwise.
    static func findEncoder(_ choice: Codec) throws(FFmpegCallError) -> (UnsafePointer<AVCodec>, String) {
        if choice != .mpeg4, let x264 = avcodec_find_encoder_by_name("libx264") { return (x264, "libx264") }
        guard choice != .h264, let mpeg4 = avcodec_find_encoder(AV_CODEC_ID_MPEG4) else {
            throw FFmpegCallError(code: FFmpegCode.encoderNotFound, function: "avcodec_find_encoder")
        }
        return (mpeg4, "mpeg4")
    }

    /// A time base fine enough for exact frame periods and variable timing: the frame rate's
    /// numerator times the largest power of two keeping it ≤ 65535 (MPEG-4 Part 2's limit).
    /// 30 fps → 61440 ticks/s (2048 per frame); 30000/1001 fps → 60000 (2002 per frame).
    static func ticksPerSecond(frameRate: Double) -> Int64 {
        let rate = av_d2q(frameRate, 100_000)
        var ticks = Int64(max(rate.num, 1))
        while ticks * 2 <= 65535 { ticks *= 2 }
        return ticks
    }

    static func configure(
        _ context: UnsafeMutablePointer<AVCodecContext>, width: Int, height: Int, frameRate: Double,
        ticksPerSecond: Int64, encoderName: String, quality: Int?, preset: Preset
    ) {
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.time_base = AVRational(num: 1, den: Int32(ticksPerSecond))
        context.pointee.framerate = av_d2q(frameRate, 100_000)
        // A keyframe every two seconds keeps seeking (frame ranges) cheap.
        context.pointee.gop_size = Int32(max(1, (frameRate * 2).rounded()))
        context.pointee.color_range = AVCOL_RANGE_MPEG
        context.pointee.colorspace = AVCOL_SPC_BT709
        context.pointee.color_primaries = AVCOL_PRI_BT709
        context.pointee.color_trc = AVCOL_TRC_BT709
        if encoderName == "libx264" {
            _ = av_opt_set(context.pointee.priv_data, "preset", preset.rawValue, 0)
            _ = av_opt_set(context.pointee.priv_data, "crf", String(quality ?? 18), 0)
        } else {
            context.pointee.flags |= cffmpeg_codec_flag_qscale()
            context.pointee.global_quality = Int32(quality ?? 3) * cffmpeg_qp2lambda()
            context.pointee.max_b_frames = 2
        }
    }
}
