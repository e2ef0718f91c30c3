/// Clockwise rotation of packed RGB24 pictures by a multiple of 90 degrees.
enum FrameRotation {
    /// Rotates a `width`×`height` RGB24 picture clockwise by `degrees` (0, 90, 180, 270).
    ///
    /// - Returns: the rotated pixels and their size (width and height swap for 90 and 270).
    /// - Complexity: O(width × height), one pass, cache-blocked for the quarter turns.
    static func rotate(_ rgb: [UInt8], width: Int, height: Int, clockwiseDegrees degrees: Int) -> (rgb: [UInt8], width: Int, height: Int) {
        precondition(rgb.count == width * height * 3, "FrameRotation: \(rgb.count) bytes for \(width)x\(height)")
        switch degrees {
        case 90, 270:
            let clockwise = degrees == 90
            let out = [UInt8](unsafeUninitializedCapacity: rgb.count) { destination, count in
                rgb.withUnsafeBufferPointer { source in
                    // Destination (height × width turned): width' = height, height' = width.
                    // 90° cw:  dst(x', y') = src(x = y', y = height - 1 - x')
                    // 270° cw: dst(x', y') = src(x = width - 1 - y', y = x')
                    let block = 32
                    for y0 in stride(from: 0, to: height, by: block) {
                        for x0 in stride(from: 0, to: width, by: block) {
                            for y in y0..<min(y0 + block, height) {
                                for x in x0..<min(x0 + block, width) {
                                    let dx = clockwise ? height - 1 - y : y
                                    let dy = clockwise ? x : width - 1 - x
                                    let s = (y * width + x) * 3
                                    let d = (dy * height + dx) * 3
                                    destination[d] = source[s]
                                    destination[d + 1] = source[s + 1]
                                    destination[d + 2] = source[s + 2]
                                }
                            }
                        }
                    }
                }
                count = rgb.count
            }
            return (out, height, width)
        case 180:
            let pixels = width * height
            let out = [UInt8](unsafeUninitializedCapacity: rgb.count) { destination, count in
                rgb.withUnsafeBufferPointer { source in
                    for p in 0..<pixels {
                        let s = p * 3
                        let d = (pixels - 1 - p) * 3
                        destination[d] = source[s]
                        destination[d + 1] = source[s + 1]
                        destination[d + 2] = source[s + 2]
                    }
                }
                count = rgb.count
            }
            return (out, width, height)
        default:
            return (rgb, width, height)
        }
    }

    /// The clockwise rotation (0, 90, 180, 270) that shows a stream upright, from the
    /// counterclockwise angle of its display matrix (`av_display_rotation_get`), rounded to a quarter turn.
    static func clockwiseDegrees(fromDisplayMatrixAngle counterclockwise: Double) -> Int {
        guard counterclockwise.isFinite else { return 0 }
        let quarterTurns = Int((-counterclockwise / 90).rounded())
        return ((quarterTurns % 4) + 4) % 4 * 90
    }
}
