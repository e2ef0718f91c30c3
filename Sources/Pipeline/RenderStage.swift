import BodyModel
import Foundation
import Render
import VideoIO

/// Draws each frame's people over it into `NAME_result.mp4` (at the source's frame rate and
/// timestamps; `NAME_result.png` for a single image) and writes the mattes: `mattes/<id:04d>/<frame:06d>.png` per person and
/// `mattes/combined/<frame:06d>.png`, frame numbers as in the full video.
struct RenderStage: Stage {
    let renderer: OverlayRenderer
    /// The overlay video, or nil when only mattes are wanted or the input is one image.
    let encoder: VideoEncoder?
    /// Where the overlay goes as a PNG when the input is one image.
    let stillImage: URL?
    /// The `mattes` folder, or nil.
    let mattesFolder: URL?

    mutating func process(_ input: FrameResult) throws -> [FrameResult] {
        let image = try RGBImage(width: input.width, height: input.height, rgb: input.rgb)
        let rendered = try renderer.render(image, people: input.people, mattes: mattesFolder != nil)
        if let encoder {
            try encoder.append(VideoFrame(
                index: input.index, time: input.time, width: rendered.image.width, height: rendered.image.height,
                rgb: rendered.image.rgb))
        }
        if let stillImage {
            try PNGWriter.write(rgb: rendered.image.rgb, width: rendered.image.width, height: rendered.image.height, to: stillImage)
        }
        if let mattesFolder, let mattes = rendered.mattes {
            let name = Self.padded(input.index, 6) + ".png"
            for person in mattes.people {
                let folder = mattesFolder.appendingPathComponent(Self.padded(person.id, 4), isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try PNGWriter.write(gray: person.alpha, width: mattes.width, height: mattes.height, to: folder.appendingPathComponent(name))
            }
            let combined = mattesFolder.appendingPathComponent("combined", isDirectory: true)
            try FileManager.default.createDirectory(at: combined, withIntermediateDirectories: true)
            try PNGWriter.write(gray: mattes.combined, width: mattes.width, height: mattes.height, to: combined.appendingPathComponent(name))
        }
        var passed = input
        passed.rgb = []  // nothing after the renderer needs the pixels
        return [passed]
    }

    mutating func finish() throws -> [FrameResult] {
        try encoder?.finish()
        return []
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
