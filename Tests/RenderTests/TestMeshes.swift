import Foundation
@testable import Render

/// Closed synthetic meshes for the renderer's tests, built here so the tests need no body model.
enum TestMeshes {
    struct Mesh {
        var vertices: [Float]  // (V, 3)
        var faces: [Int32]  // (F, 3), counter-clockwise seen from outside

        var vertexCount: Int { vertices.count / 3 }

        /// Concatenates closed parts into one mesh (a "body" of overlapping parts).
        static func merged(_ parts: [Mesh]) -> Mesh {
            var out = Mesh(vertices: [], faces: [])
            for part in parts {
                let offset = Int32(out.vertexCount)
                out.vertices += part.vertices
                out.faces += part.faces.map { $0 + offset }
            }
            return out
        }

        /// Signed volume (positive when faces wind counter-clockwise seen from outside).
        var signedVolume: Double {
            var volume = 0.0
            for f in stride(from: 0, to: faces.count, by: 3) {
                let p = (0..<3).map { k in (0..<3).map { Double(vertices[3 * Int(faces[f + k]) + $0]) } }
                volume += (p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1])
                    - p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0])
                    + p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0])) / 6
            }
            return volume
        }
    }

    /// An ellipsoid with radii `radii`, `rings` latitude bands and `segments` longitudes.
    static func ellipsoid(center: SIMD3<Float>, radii: SIMD3<Float>, rings: Int = 12, segments: Int = 16) -> Mesh {
        var vertices: [Float] = []
        var faces: [Int32] = []
        // Pole at −y, rings, pole at +y.
        vertices += [center.x, center.y - radii.y, center.z]
        for r in 1..<rings {
            let theta = Float.pi * Float(r) / Float(rings)  // from −y
            let y = -cos(theta), ring = sin(theta)
            for s in 0..<segments {
                let phi = 2 * Float.pi * Float(s) / Float(segments)
                vertices += [center.x + radii.x * ring * cos(phi), center.y + radii.y * y, center.z + radii.z * ring * sin(phi)]
            }
        }
        vertices += [center.x, center.y + radii.y, center.z]
        let top = Int32(vertices.count / 3 - 1)
        func ringVertex(_ r: Int, _ s: Int) -> Int32 { Int32(1 + (r - 1) * segments + (s % segments)) }
        for s in 0..<segments { faces += [0, ringVertex(1, s), ringVertex(1, s + 1)] }
        for r in 1..<(rings - 1) {
            for s in 0..<segments {
                faces += [ringVertex(r, s), ringVertex(r + 1, s), ringVertex(r + 1, s + 1)]
                faces += [ringVertex(r, s), ringVertex(r + 1, s + 1), ringVertex(r, s + 1)]
            }
        }
        for s in 0..<segments { faces += [top, ringVertex(rings - 1, s + 1), ringVertex(rings - 1, s)] }
        var mesh = Mesh(vertices: vertices, faces: faces)
        if mesh.signedVolume < 0 {  // keep the outward orientation whatever the parametrization
            for f in stride(from: 0, to: mesh.faces.count, by: 3) { mesh.faces.swapAt(f + 1, f + 2) }
        }
        return mesh
    }

    /// A crude body of ellipsoids in the camera frame (y down): head, torso, arms, legs, ~1.7 tall.
    static func body() -> Mesh {
        .merged([
            ellipsoid(center: SIMD3(0, -0.65, 0), radii: SIMD3(0.11, 0.13, 0.11)),
            ellipsoid(center: SIMD3(0, -0.2, 0), radii: SIMD3(0.2, 0.32, 0.12)),
            ellipsoid(center: SIMD3(-0.33, -0.25, 0.02), radii: SIMD3(0.07, 0.3, 0.07)),
            ellipsoid(center: SIMD3(0.36, -0.3, -0.05), radii: SIMD3(0.3, 0.06, 0.06)),
            ellipsoid(center: SIMD3(-0.1, 0.5, 0), radii: SIMD3(0.08, 0.42, 0.09)),
            ellipsoid(center: SIMD3(0.12, 0.48, 0.05), radii: SIMD3(0.08, 0.42, 0.09)),
        ])
    }

    /// Rotation of the vertices about y by `angle` radians.
    static func rotatedY(_ mesh: Mesh, _ angle: Float) -> Mesh {
        var out = mesh
        for i in 0..<mesh.vertexCount {
            let x = mesh.vertices[3 * i], z = mesh.vertices[3 * i + 2]
            out.vertices[3 * i] = cos(angle) * x + sin(angle) * z
            out.vertices[3 * i + 2] = -sin(angle) * x + cos(angle) * z
        }
        return out
    }
}

/// Binary PPM (P6) files: the golden pictures, readable by any image viewer.
enum PortablePixmap {
    static func encode(_ image: RGBImage) -> Data {
        Data("P6\n\(image.width) \(image.height)\n255\n".utf8) + Data(image.rgb)
    }

    static func decode(_ data: Data) -> RGBImage? {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var i = 0
        while fields.count < 4 && i < bytes.count {
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A) { i += 1 }
            var field = ""
            while i < bytes.count && bytes[i] != 0x20 && bytes[i] != 0x0A { field.append(Character(UnicodeScalar(bytes[i]))); i += 1 }
            fields.append(field)
        }
        i += 1
        guard fields.count == 4, fields[0] == "P6", let w = Int(fields[1]), let h = Int(fields[2]), bytes.count - i == w * h * 3 else { return nil }
        return try? RGBImage(width: w, height: h, rgb: Array(bytes[i...]))
    }
}
