/// A packed RGB24 picture: what the renderer draws on and returns.
///
/// The layout is that of `VideoFrame` (row-major, 3 bytes per pixel, no padding), so a decoded
/// frame converts without copying its meaning: `RGBImage(width: f.width, height: f.height, rgb: f.rgb)`.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Packed RGB24, row-major: `rgb.count == width * height * 3`.
    public var rgb: [UInt8]

    /// Wraps existing pixels.
    ///
    /// - Throws: `RenderError.badImage` when the byte count does not match the size.
    public init(width: Int, height: Int, rgb: [UInt8]) throws(RenderError) {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw .badImage(width: width, height: height, byteCount: rgb.count)
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// A picture filled with one colour (0...255 per channel).
    public init(width: Int, height: Int, fill: SIMD3<UInt8> = .zero) {
        precondition(width > 0 && height > 0, "RGBImage: size \(width)x\(height)")
        self.width = width
        self.height = height
        if fill == .zero {
            self.rgb = [UInt8](repeating: 0, count: width * height * 3)
        } else {
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for i in 0..<(width * height) {
                pixels[3 * i] = fill.x
                pixels[3 * i + 1] = fill.y
                pixels[3 * i + 2] = fill.z
            }
            self.rgb = pixels
        }
    }

    /// Places pictures of equal height side by side, left to right.
    public static func sideBySide(_ panels: [RGBImage]) -> RGBImage {
        precondition(!panels.isEmpty && panels.allSatisfy { $0.height == panels[0].height }, "sideBySide: panels of unequal height")
        if panels.count == 1 { return panels[0] }
        let height = panels[0].height
        let width = panels.reduce(0) { $0 + $1.width }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        out.withUnsafeMutableBufferPointer { dst in
            var x0 = 0
            for panel in panels {
                panel.rgb.withUnsafeBufferPointer { src in
                    let rowBytes = panel.width * 3
                    for y in 0..<height {
                        let d = dst.baseAddress! + (y * width + x0) * 3
                        d.update(from: src.baseAddress! + y * rowBytes, count: rowBytes)
                    }
                }
                x0 += panel.width
            }
        }
        return RGBImage(unchecked: width, height, out)
    }

    init(unchecked width: Int, _ height: Int, _ rgb: [UInt8]) {
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}
