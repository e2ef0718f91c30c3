import Foundation
import VideoIO

/// The 224×224 crop PyMAF regresses on, reproducing its demo exactly: VIBE's
/// `get_single_image_crop_demo` → `generate_patch_image_cv` → OpenCV `warpAffine`
/// (INTER_LINEAR, constant 0 border) on the RGB frame, then `ToTensor` (/255) and ImageNet
/// normalization, laid out `(3, 224, 224)`.
///
/// The affine maps the box centre to (112, 112) and the box half-side to 112 px (with
/// `scale`, PyMAF's `bbox_scale`, already applied to the box by the tracker). The warp follows
/// OpenCV's fixed-point arithmetic for 8-bit images so the bytes match: source coordinates in
/// 1/32 pixel (`AB_BITS` 10 → `INTER_BITS` 5 with rounding), bilinear weights in 1/32 steps,
/// the sum rounded back to 8 bits, taps outside the frame reading 0.
///
///     let crop = PersonCropper.crop(frame, box: person.box)   // 3·224·224 floats
public enum PersonCropper {
    public static let size = 224
    /// ImageNet channel means and standard deviations (RGB).
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    public static let std: [Float] = [0.229, 0.224, 0.225]

    /// The normalized crop `(3, 224, 224)` of `box` (centre, width, height in pixels).
    public static func crop(_ frame: VideoFrame, box: PersonBox) -> [Float] {
        var out = [Float](repeating: 0, count: 3 * size * size)
        out.withUnsafeMutableBufferPointer { crop(frame, box: box, into: $0) }
        return out
    }

    /// Writes the normalized crop into `output` (at least 3·224·224 floats), for batching.
    public static func crop(_ frame: VideoFrame, box: PersonBox, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= 3 * size * size)
        let pixels = warp(frame, box: box)  // (224, 224, 3) uint8
        let plane = size * size
        for i in 0..<plane {
            for c in 0..<3 {
                // torchvision: to_tensor divides by 255, Normalize subtracts the mean and divides by std.
                output[c * plane + i] = (Float(pixels[i * 3 + c]) / 255 - mean[c]) / std[c]
            }
        }
    }

    /// The affine warp alone: `(224, 224, 3)` RGB bytes, as `cv2.warpAffine` returns them.
    public static func warp(_ frame: VideoFrame, box: PersonBox) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size * size * 3)
        let m = inverseMap(box: box)
        guard m.allSatisfy(\.isFinite) else { return out }
        // OpenCV: coordinates in 1/1024 px, rounded to 1/32 px with round_delta = 16.
        let abScale = 1024.0
        // saturate_cast<int>: round half to even, clamp to 32 bits.
        func fixed(_ v: Double) -> Int { Int(min(max((v * abScale).rounded(.toNearestOrEven), Double(Int32.min)), Double(Int32.max))) }
        let width = frame.width, height = frame.height
        let adelta = (0..<size).map { fixed(m[0] * Double($0)) }
        let bdelta = (0..<size).map { fixed(m[3] * Double($0)) }
        frame.rgb.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<size {
                    let x0 = fixed(m[1] * Double(y) + m[2]) + 16
                    let y0 = fixed(m[4] * Double(y) + m[5]) + 16
                    for x in 0..<size {
                        let fx = (x0 + adelta[x]) >> 5, fy = (y0 + bdelta[x]) >> 5
                        let sx = fx >> 5, sy = fy >> 5
                        let ax = fx & 31, ay = fy & 31
                        let w00 = (32 - ax) * (32 - ay), w01 = ax * (32 - ay), w10 = (32 - ax) * ay, w11 = ax * ay
                        let o = (y * size + x) * 3
                        if sx >= 0, sx + 1 < width, sy >= 0, sy + 1 < height {
                            // All four taps inside the frame (almost every pixel): no bounds tests.
                            let top = (sy * width + sx) * 3, bottom = top + width * 3
                            for c in 0..<3 {
                                let sum = Int(src[top + c]) * w00 + Int(src[top + 3 + c]) * w01
                                    + Int(src[bottom + c]) * w10 + Int(src[bottom + 3 + c]) * w11
                                dst[o + c] = UInt8(clamping: (sum * 32 + (1 << 14)) >> 15)
                            }
                            continue
                        }
                        for c in 0..<3 {
                            func tap(_ px: Int, _ py: Int) -> Int {
                                guard px >= 0, px < width, py >= 0, py < height else { return 0 }
                                return Int(src[(py * width + px) * 3 + c])
                            }
                            let sum = tap(sx, sy) * w00 + tap(sx + 1, sy) * w01 + tap(sx, sy + 1) * w10 + tap(sx + 1, sy + 1) * w11
                            // Weights sum to 1024; OpenCV scales them to 2^15 and rounds: (v·32 + 2^14) >> 15.
                            dst[o + c] = UInt8(clamping: (sum * 32 + (1 << 14)) >> 15)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The destination → source map `[a, b, c, d, e, f]` (`src = (a·x + b·y + c, d·x + e·y + f)`),
    /// built as PyMAF builds it: three float32 points (centre, centre + half-height down,
    /// centre + half-width right) mapped to (112, 112), (112, 224), (224, 112), then inverted
    /// in double as `warpAffine` does.
    static func inverseMap(box: PersonBox) -> [Double] {
        let half = Float(size) / 2
        let cx = box.centerX, cy = box.centerY
        let down = Float(Double(box.height) * 0.5), right = Float(Double(box.width) * 0.5)
        // Forward map from the point pairs: x' = a·x + c with a = 112 / (right edge − centre).
        let srcRight = cx + right, srcDown = cy + down
        let a = Double(half) / (Double(srcRight) - Double(cx))
        let e = Double(half) / (Double(srcDown) - Double(cy))
        let c = Double(half) - a * Double(cx)
        let f = Double(half) - e * Double(cy)
        // Inversion as in warpAffine: D = 1/(a·e), then the translation from the inverted rows.
        let det = a * e
        let inv = det != 0 ? 1 / det : 0
        let ia = e * inv, ie = a * inv
        return [ia, 0, -ia * c, 0, ie, -ie * f]
    }
}
