extension VideoFrame {
    /// A synthetic picture for samples, tests and benchmarks: smooth colour gradients that drift
    /// with time, a bright square moving across and a dark disc moving down.
    ///
    /// Deterministic: the same arguments always give the same pixels. Codec-friendly (mostly
    /// smooth), with sharp edges whose position tells frames apart.
    public static func testPattern(index: Int, time: Double, width: Int, height: Int) -> VideoFrame {
        let phase = time * 40
        let squareSize = max(4, min(width, height) / 5)
        let squareX = Int((time * Double(width) / 3).truncatingRemainder(dividingBy: Double(max(1, width - squareSize))))
        let squareY = height / 6
        let radius = Double(max(3, min(width, height) / 8))
        let discX = Double(width) * 0.65
        let discY = (time * Double(height) / 4).truncatingRemainder(dividingBy: Double(height))
        let rgb = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            for y in 0..<height {
                for x in 0..<width {
                    let o = (y * width + x) * 3
                    var r = Double(x) / Double(max(1, width - 1)) * 200 + 20
                    var g = Double(y) / Double(max(1, height - 1)) * 180 + 30
                    var b = (Double(x + y) + phase).truncatingRemainder(dividingBy: 256) * 0.5 + 60
                    if x >= squareX, x < squareX + squareSize, y >= squareY, y < squareY + squareSize {
                        (r, g, b) = (250, 240, 60)
                    }
                    let dx = Double(x) - discX
                    let dy = Double(y) - discY
                    if dx * dx + dy * dy < radius * radius { (r, g, b) = (20, 30, 90) }
                    buffer[o] = UInt8(r)
                    buffer[o + 1] = UInt8(g)
                    buffer[o + 2] = UInt8(b)
                }
            }
            count = width * height * 3
        }
        return VideoFrame(index: index, time: time, width: width, height: height, rgb: rgb)
    }
}
