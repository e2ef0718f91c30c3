import Foundation
import Testing
@testable import VideoIO

/// Each kind of bad input gives its own error naming the file, or is survived and reported.
@Suite(.quietFFmpeg) struct BrokenInputTests {
    @Test func missingFileIsNotFound() {
        let path = "/nonexistent-\(UUID().uuidString).mp4"
        #expect(throws: VideoIOError.notFound(path: path)) { _ = try VideoDecoder(url: URL(fileURLWithPath: path)) }
    }

    @Test func folderIsNotReadableAsAVideo() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: VideoIOError.notReadable(path: folder.path, reason: "it is a folder, not a file")) {
            _ = try VideoDecoder(url: folder)
        }
    }

    @Test func emptyFileIsEmpty() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("empty.mp4")
        try Data().write(to: file)
        #expect(throws: VideoIOError.emptyFile(path: file.path)) { _ = try VideoDecoder(url: file) }
    }

    @Test func textFileNamedMP4IsNotAVideo() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("notes.mp4")
        try Data("These are my notes, not a video.\n".utf8).write(to: file)
        #expect {
            _ = try VideoDecoder(url: file)
        } throws: { error in
            guard case VideoIOError.notAVideo(let path, let reason) = error else { return false }
            return path == file.path && reason.contains("Invalid data")
        }
    }

    /// A WAV file (PCM audio, written here byte by byte) has a stream, but no video.
    @Test func audioOnlyFileHasNoVideoStream() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tone.wav")
        try Data(Self.wav(samples: 8000, rate: 8000)).write(to: file)
        #expect(throws: VideoIOError.noVideoStream(path: file.path, streams: ["audio (pcm_s16le)"])) {
            _ = try VideoDecoder(url: file)
        }
    }

    /// A video track whose sample entry names a codec FFmpeg does not know ('zzzz' in place of
    /// 'avc1'/'mp4v').
    @Test func unknownCodecIsUnsupported() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("odd-codec.mp4")
        try TestMaterial.writeClip(file, times: [0, 0.1, 0.2])
        var bytes = [UInt8](try Data(contentsOf: file))
        let stsd = try #require(Self.find(Array("stsd".utf8), in: bytes))
        let entry = try #require(Self.find(Array("avc1".utf8), in: bytes, from: stsd) ?? Self.find(Array("mp4v".utf8), in: bytes, from: stsd))
        bytes.replaceSubrange(entry..<(entry + 4), with: Array("zzzz".utf8))
        try Data(bytes).write(to: file)
        #expect(throws: VideoIOError.unsupportedCodec(path: file.path, codec: "tag 'zzzz'")) {
            _ = try VideoDecoder(url: file)
        }
    }

    /// Garbage over part of the media data: the damaged packets are skipped and counted, the
    /// others still decode, and nothing is thrown.
    @Test func corruptPacketsAreSkippedAndCounted() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("damaged.mp4")
        try TestMaterial.writeClip(file, times: (0..<48).map { Double($0) / 12 })
        var bytes = [UInt8](try Data(contentsOf: file))
        let mdat = try #require(Self.find(Array("mdat".utf8), in: bytes))
        // 0xFF over several whole packets: their NAL length prefixes become absurd, which the
        // H.264 decoder rejects (packets here are 0.3–3 kB). Damage inside a packet's slice data
        // is concealed instead, and counted as such.
        let start = mdat + (bytes.count - mdat) / 2
        for i in start..<(start + 6000) { bytes[i] = 0xFF }
        try Data(bytes).write(to: file)

        let decoder = try VideoDecoder(url: file, options: DecodeOptions(threadCount: 1))
        let frames = try TestMaterial.decodeAll(decoder)
        #expect(decoder.report.corruptPackets >= 1)
        #expect(frames.count >= 24 && frames.count < 48, "\(frames.count) frames")
        #expect(frames.map(\.index) == Array(0..<frames.count))
        #expect(frames.count + decoder.report.corruptPackets >= 48)
        #expect(decoder.report.truncation == nil)
    }

    /// A download cut off at 60%: the frames before the cut come out, then the report says where it stopped.
    @Test func truncatedFileDeliversWhatItHasThenSaysWhereItStopped() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cut.mp4")
        let written = try TestMaterial.writeClip(file, times: (0..<48).map { Double($0) / 12 })
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count * 6 / 10).write(to: file)

        let decoder = try VideoDecoder(url: file)
        let frames = try TestMaterial.decodeAll(decoder)
        #expect(frames.count > 10 && frames.count < 48, "\(frames.count) frames")
        #expect(frames.map(\.index) == Array(0..<frames.count))
        for frame in frames { #expect(TestMaterial.psnr(written[frame.index].rgb, frame.rgb) > 29) }
        let truncation = try #require(decoder.report.truncation)
        #expect(truncation.lastFrameIndex == frames.last?.index)
        #expect(truncation.lastFrameTime == frames.last?.time)
        #expect(truncation.description.contains("truncated"))
    }

    /// A file cut off before its index (`moov`) was written cannot be opened at all.
    @Test func fileWithoutItsIndexIsNotAVideo() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cut-early.mp4")
        try TestMaterial.writeClip(file, times: [0, 0.1])
        try Data(try Data(contentsOf: file).prefix(20)).write(to: file)
        #expect {
            _ = try VideoDecoder(url: file)
        } throws: { error in
            guard case VideoIOError.notAVideo(let path, _) = error else { return false }
            return path == file.path && (error as! VideoIOError).description.contains("re-export")
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in start...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    /// A mono 16-bit PCM WAV file with a 440 Hz tone.
    static func wav(samples: Int, rate: Int) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var pcm: [UInt8] = []
        for i in 0..<samples {
            pcm += le16(Int(Int16(8000 * sin(2 * Double.pi * 440 * Double(i) / Double(rate)))) & 0xFFFF)
        }
        return Array("RIFF".utf8) + le32(36 + pcm.count) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(rate) + le32(rate * 2) + le16(2) + le16(16)
            + Array("data".utf8) + le32(pcm.count) + pcm
    }
}
