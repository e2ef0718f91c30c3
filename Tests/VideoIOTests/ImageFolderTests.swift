import Foundation
import Testing
@testable import VideoIO

@Suite struct ImageFolderTests {
    @Test func namesSortNaturally() {
        let names = ["frame10.png", "frame2.png", "Frame1.png", "frame02.png", "a.png", "frame100.png"]
        #expect(names.sorted(by: NaturalOrder.areInIncreasingOrder)
            == ["a.png", "Frame1.png", "frame2.png", "frame02.png", "frame10.png", "frame100.png"])
    }

    /// PNG is lossless: pictures written by `PNGWriter` come back from the folder byte for byte,
    /// in natural order, numbered and timed by position.
    @Test func folderOfPNGsDecodesExactlyInNaturalOrder() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = (0..<12).map { VideoFrame.testPattern(index: $0, time: Double($0) / 10, width: 33, height: 21) }
        for frame in frames {
            try PNGWriter.write(rgb: frame.rgb, width: 33, height: 21, to: folder.appendingPathComponent("img\(frame.index).png"))
        }
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        let source = try ImageFolderSource(url: folder, frameRate: 10)
        #expect(source.info.width == 33 && source.info.height == 21)
        #expect(source.info.frameCountEstimate == 12)
        #expect(source.info.codecName == "png")
        let decoded = try TestMaterial.decodeAll(source)
        #expect(decoded.map(\.index) == Array(0..<12))
        #expect(decoded.map(\.rgb) == frames.map(\.rgb))
        #expect(decoded.map(\.time) == frames.map(\.time))

        let range = try TestMaterial.decodeAll(ImageFolderSource(url: folder, frameRate: 10, frameRange: 3...5))
        #expect(range == Array(decoded[3...5]))
    }

    @Test func grayPNGDecodesToEqualRGBChannels() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gray = (0..<(17 * 9)).map { UInt8($0 % 256) }
        let file = folder.appendingPathComponent("matte.png")
        try PNGWriter.write(gray: gray, width: 17, height: 9, to: file)
        let frame = try #require(try ImageFolderSource(url: file).nextFrame())
        #expect(frame.width == 17 && frame.height == 9)
        #expect(frame.rgb == gray.flatMap { [$0, $0, $0] })
    }

    @Test func singleJPEGFromSharedDataDecodes() throws {
        let source = try ImageFolderSource(url: TestMaterial.cocoImage)
        #expect(source.info.width == 224 && source.info.height == 224)
        #expect(source.info.codecName == "mjpeg")
        let frames = try TestMaterial.decodeAll(source)
        #expect(frames.count == 1)
        // A real photo: the pixels vary (not a blank conversion).
        #expect(Set(frames[0].rgb).count > 200)
    }

    @Test func folderWithoutImagesIsAnError() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appendingPathComponent("readme.txt"))
        #expect(throws: VideoIOError.noImages(path: folder.path)) { _ = try ImageFolderSource(url: folder) }
    }

    @Test func imagesOfDifferentSizesAreAnError() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try PNGWriter.write(gray: [UInt8](repeating: 9, count: 8 * 8), width: 8, height: 8, to: folder.appendingPathComponent("1.png"))
        try PNGWriter.write(gray: [UInt8](repeating: 9, count: 8 * 6), width: 8, height: 6, to: folder.appendingPathComponent("2.png"))
        let source = try ImageFolderSource(url: folder)
        _ = try source.nextFrame()
        #expect(throws: VideoIOError.imageSizeMismatch(
            path: folder.appendingPathComponent("2.png").path, expected: "8x8", found: "8x6")) { _ = try source.nextFrame() }
    }

    @Test func pngWriterRejectsAWrongByteCount() {
        let url = URL(fileURLWithPath: "/tmp/never-written.png")
        #expect(throws: VideoIOError.frameMismatch(path: url.path, reason: "5 bytes for a 2x2 picture with 1 channel(s)")) {
            try PNGWriter.write(gray: [1, 2, 3, 4, 5], width: 2, height: 2, to: url)
        }
    }
}
