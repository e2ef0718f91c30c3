import Foundation

/// The 3D camera that reproduces the video plate, and the root motion it implies.
///
/// PyMAF's full-image camera `origCam` = (sx, sy, tx, ty) is weak-perspective: a camera-frame
/// point X (y down) lands at normalized image coordinates (sx·(X.x + tx), sy·(X.y + ty)).
/// A pinhole camera of focal length f pixels at the origin gives the same image for points at
/// depth Z = 2f / (sx·W) (equivalently 2f / (sy·H)) when the body is translated by
///
///     T = (tx, ty, 2f / (sx·W))        (camera frame, metres)
///
/// so every export places the body at `vertices + T` and the camera at the origin; the overlay
/// is exact for points at the root depth and off by the body's depth extent over Z elsewhere
/// (a few per cent). The default focal length is the image diagonal in pixels (a ~53° diagonal
/// field of view, CLIFF's convention); PyMAF's own 5000 px in the 224 crop is a telephoto that
/// puts people tens of metres away.
public struct PlateCamera: Sendable, Equatable, Codable {
    public var imageWidth: Int
    public var imageHeight: Int
    /// Focal length in pixels.
    public var focalLength: Double

    public init(imageWidth: Int, imageHeight: Int, focalLength: Double? = nil) {
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.focalLength = focalLength ?? (Double(imageWidth * imageWidth + imageHeight * imageHeight)).squareRoot()
    }

    /// Vertical field of view in radians.
    public var verticalFieldOfView: Double { 2 * atan(Double(imageHeight) / (2 * focalLength)) }

    public var aspectRatio: Double { Double(imageWidth) / Double(imageHeight) }

    /// T in the camera frame (y down, z forward) for `origCam`; nil when the scale is not positive.
    public func translation(origCam: SIMD4<Float>) -> SIMD3<Double>? {
        let sx = Double(origCam.x)
        guard sx > 0, sx.isFinite else { return nil }
        return SIMD3(Double(origCam.z), Double(origCam.w), 2 * focalLength / (sx * Double(imageWidth)))
    }
}
