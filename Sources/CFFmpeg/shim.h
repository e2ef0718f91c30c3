#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/sha.h>
#include <libswscale/swscale.h>

// Macros Swift cannot import, re-exposed as small inline functions.
static inline int cffmpeg_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
static inline int cffmpeg_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int cffmpeg_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int cffmpeg_averror_encoder_not_found(void) { return AVERROR_ENCODER_NOT_FOUND; }
static inline int cffmpeg_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational cffmpeg_time_base_q(void) { return AV_TIME_BASE_Q; }
static inline int cffmpeg_error_max_string_size(void) { return AV_ERROR_MAX_STRING_SIZE; }

// av_log is variadic: pass a preformatted message.
static inline void cffmpeg_log(void *avcl, int level, const char *message) {
    av_log(avcl, level, "%s", message);
}

// sws_scale from any decoded frame into one packed plane (RGB24, GRAY8) owned by the caller.
static inline int cffmpeg_sws_scale_frame_to_packed(struct SwsContext *context, const AVFrame *source,
                                                    uint8_t *destination, int destination_stride) {
    uint8_t *planes[4] = { destination, NULL, NULL, NULL };
    int strides[4] = { destination_stride, 0, 0, 0 };
    return sws_scale(context, (const uint8_t *const *)source->data, source->linesize, 0, source->height,
                     planes, strides);
}

// sws_scale from one packed plane owned by the caller into an allocated frame (any format).
static inline int cffmpeg_sws_scale_packed_to_frame(struct SwsContext *context, const uint8_t *source,
                                                    int source_stride, int source_height, AVFrame *destination) {
    const uint8_t *planes[4] = { source, NULL, NULL, NULL };
    int strides[4] = { source_stride, 0, 0, 0 };
    return sws_scale(context, planes, strides, 0, source_height, destination->data, destination->linesize);
}

// The stream's display matrix (3x3, 16.16 fixed point), or NULL. The side data moved to the codec
// parameters in libavcodec 60.30; older libraries keep it on the stream.
static inline const int32_t *cffmpeg_stream_display_matrix(const AVStream *stream) {
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 30, 100)
    const AVPacketSideData *side = av_packet_side_data_get(stream->codecpar->coded_side_data,
                                                           stream->codecpar->nb_coded_side_data,
                                                           AV_PKT_DATA_DISPLAYMATRIX);
    if (side == NULL || side->size < 9 * sizeof(int32_t)) return NULL;
    return (const int32_t *)side->data;
#else
    size_t size = 0;
    const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (data == NULL || size < 9 * sizeof(int32_t)) return NULL;
    return (const int32_t *)data;
#endif
}

// Attaches a display matrix telling players to turn the pictures `clockwise_degrees` to an output
// stream (before the header is written). av_display_rotation_set takes a clockwise angle while
// av_display_rotation_get returns a counterclockwise one. Returns 0, or AVERROR(ENOMEM).
static inline int cffmpeg_stream_set_display_rotation(AVStream *stream, double clockwise_degrees) {
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 30, 100)
    AVPacketSideData *side = av_packet_side_data_new(&stream->codecpar->coded_side_data,
                                                     &stream->codecpar->nb_coded_side_data,
                                                     AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t), 0);
    if (side == NULL) return AVERROR(ENOMEM);
    int32_t *matrix = (int32_t *)side->data;
#else
    int32_t *matrix = (int32_t *)av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t));
    if (matrix == NULL) return AVERROR(ENOMEM);
#endif
    av_display_rotation_set(matrix, clockwise_degrees);
    return 0;
}

// Flags Swift sees only as macros.
static inline int cffmpeg_packet_flag_key(void) { return AV_PKT_FLAG_KEY; }
static inline int cffmpeg_packet_flag_corrupt(void) { return AV_PKT_FLAG_CORRUPT; }
static inline int cffmpeg_packet_flag_discard(void) { return AV_PKT_FLAG_DISCARD; }
static inline int cffmpeg_frame_flag_corrupt(void) { return AV_FRAME_FLAG_CORRUPT; }
static inline int cffmpeg_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }
static inline int cffmpeg_codec_flag_qscale(void) { return AV_CODEC_FLAG_QSCALE; }
static inline int cffmpeg_format_flag_nofile(void) { return AVFMT_NOFILE; }
static inline int cffmpeg_format_flag_globalheader(void) { return AVFMT_GLOBALHEADER; }
static inline int cffmpeg_qp2lambda(void) { return FF_QP2LAMBDA; }
static inline int cffmpeg_thread_frame_and_slice(void) { return FF_THREAD_FRAME | FF_THREAD_SLICE; }

#endif
