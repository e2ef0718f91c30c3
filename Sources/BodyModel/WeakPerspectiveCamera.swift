/// PyMAF's camera: a weak-perspective (s, tx, ty) in the 224² crop, realised as a pinhole with
/// focal length 5000 px placed at depth 2·5000/(224·s).
///
///     let uv = WeakPerspectiveCamera.project(points: joints49, camera: SIMD3(0.9, 0.02, 0.1))
///     let full = WeakPerspectiveCamera.origCam(predCam: cam, box: box, imageWidth: 1920, imageHeight: 1080)
public enum WeakPerspectiveCamera {
    /// Focal length in crop pixels.
    public static let focalLength: Float = 5000
    /// Crop side in pixels.
    public static let cropSize: Float = 224

    /// The camera translation (tx, ty, 2·f/(224·s + 1e−9)).
    public static func translation(camera: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(camera[1], camera[2], 2 * focalLength / (cropSize * camera[0] + 1e-9))
    }

    /// Projects points to normalized crop coordinates: p' = p + t, uv = f·p'.xy/p'.z, then /112,
    /// so the crop spans [−1, 1] (the coordinates `grid_sample` takes).
    ///
    /// - Parameters:
    ///   - points: (P, 3).
    ///   - camera: (s, tx, ty).
    /// - Returns: (P, 2).
    public static func project(points: [Float], camera: SIMD3<Float>) -> [Float] {
        precondition(points.count % 3 == 0, "WeakPerspectiveCamera.project: points must be (P, 3)")
        let t = translation(camera: camera)
        let count = points.count / 3
        var out = [Float](repeating: 0, count: count * 2)
        for p in 0..<count {
            let x = points[3 * p] + t.x, y = points[3 * p + 1] + t.y, z = points[3 * p + 2] + t.z
            out[2 * p] = focalLength * x / z / (cropSize / 2)
            out[2 * p + 1] = focalLength * y / z / (cropSize / 2)
        }
        return out
    }

    /// The crop camera expressed for the whole image (PyMAF's `orig_cam`):
    /// sx = s·side/W, sy = s·side/H, tx' = (cx − W/2)/(W/2)/sx + tx, ty' = (cy − H/2)/(H/2)/sy + ty.
    ///
    /// - Parameters:
    ///   - predCam: (s, tx, ty) in the crop.
    ///   - box: (cx, cy, w, h) of the square crop box in image pixels; side = w.
    ///   - imageWidth: W.
    ///   - imageHeight: H.
    /// - Returns: (sx, sy, tx', ty').
    public static func origCam(predCam: SIMD3<Float>, box: SIMD4<Float>, imageWidth: Int, imageHeight: Int) -> SIMD4<Float> {
        let w = Float(imageWidth), h = Float(imageHeight)
        let halfW = w / 2, halfH = h / 2
        let side = box[2]
        let sx = predCam[0] * (1 / (w / side))
        let sy = predCam[0] * (1 / (h / side))
        let tx = (box[0] - halfW) / halfW / sx + predCam[1]
        let ty = (box[1] - halfH) / halfH / sy + predCam[2]
        return SIMD4(sx, sy, tx, ty)
    }
}
