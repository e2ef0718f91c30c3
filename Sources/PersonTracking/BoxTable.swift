import Foundation

/// User-supplied person boxes per frame (`--bbox_file`), replacing the detector.
///
/// Two formats are read (`BoxTable(contentsOf:)` picks by content: JSON starts with `[`):
/// - **PyMAF's tracklet annotation** (JSON, what `demo.py --use_gt --anno_file` reads): a list of
///   tracklets `{"idx": id, "frames": [{"frame_id": f, "rect": {"tl": {"x", "y"}, "br": {"x", "y"}}}]}`
///   with corners normalized to the frame size; PyMAF squares each box to its longer side around
///   the centre, as `PersonBox.squared` does.
/// - **CSV** `frame,track,cx,cy,w,h` in pixels (an optional header line; blank lines and lines
///   starting with `#` are skipped).
///
/// Malformed input is `PersonTrackingError.malformedBoxFile` naming the line.
public struct BoxTable: Sendable, Equatable {
    /// How stored coordinates relate to frame pixels.
    public enum Units: Sendable, Equatable {
        case pixels
        /// Fractions of the frame width (x) and height (y).
        case normalized
    }

    public struct Entry: Sendable, Equatable {
        public var track: Int
        /// Pixels: (cx, cy, w, h). Normalized: the corners (x_tl, y_tl, x_br, y_br).
        public var values: SIMD4<Double>
    }

    public let units: Units
    /// Entries by frame index, in file order.
    public let frames: [Int: [Entry]]

    public init(units: Units, frames: [Int: [Entry]]) {
        self.units = units
        self.frames = frames
    }

    /// Reads a tracklet JSON or CSV box file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PersonTrackingError.malformedBoxFile(path: url.path, line: 0, reason: "cannot read it (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PersonTrackingError.malformedBoxFile(path: url.path, line: 0, reason: "not UTF-8 text")
        }
        if text.first(where: { !$0.isWhitespace }) == "[" {
            self = try Self.parseTracklets(text, path: url.path)
        } else {
            self = try Self.parseCSV(text, path: url.path)
        }
    }

    /// The boxes of frame `index` in pixels of a `width`×`height` frame, in file order.
    public func boxes(forFrame index: Int, width: Int, height: Int) -> [(track: Int, box: PersonBox)] {
        (frames[index] ?? []).map { entry in
            switch units {
            case .pixels:
                let v = entry.values
                return (entry.track, PersonBox(centerX: Float(v[0]), centerY: Float(v[1]), width: Float(v[2]), height: Float(v[3])))
            case .normalized:
                // As PyMAF: corners times the frame size (in double), then centre and size.
                let w = Double(width), h = Double(height)
                let xTL = entry.values[0] * w, yTL = entry.values[1] * h, xBR = entry.values[2] * w, yBR = entry.values[3] * h
                return (entry.track, PersonBox(centerX: Float((xBR + xTL) / 2), centerY: Float((yBR + yTL) / 2),
                                               width: Float(xBR - xTL), height: Float(yBR - yTL)))
            }
        }
    }

    // MARK: CSV

    static func parseCSV(_ text: String, path: String) throws -> BoxTable {
        var frames: [Int: [Entry]] = [:]
        var seen = Set<[Int]>()
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = offset + 1
            let trimmed = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func fail(_ reason: String) -> PersonTrackingError { .malformedBoxFile(path: path, line: line, reason: reason) }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if seen.isEmpty, fields.first?.lowercased() == "frame" {
                guard fields.map({ $0.lowercased() }) == ["frame", "track", "cx", "cy", "w", "h"] else {
                    throw fail("header must be frame,track,cx,cy,w,h, found \(trimmed)")
                }
                continue
            }
            guard fields.count == 6 else { throw fail("expected 6 comma-separated fields frame,track,cx,cy,w,h, found \(fields.count)") }
            guard let frame = Int(fields[0]), frame >= 0 else { throw fail("frame must be a non-negative integer, found \"\(fields[0])\"") }
            guard let track = Int(fields[1]), track >= 0 else { throw fail("track must be a non-negative integer, found \"\(fields[1])\"") }
            var values: [Double] = []
            for (name, field) in zip(["cx", "cy", "w", "h"], fields[2...]) {
                guard let value = Double(field), value.isFinite, abs(value) < 1e7 else { throw fail("\(name) must be a number, found \"\(field)\"") }
                values.append(value)
            }
            guard values[2] > 0, values[3] > 0 else { throw fail("w and h must be positive, found \(values[2]) and \(values[3])") }
            guard seen.insert([frame, track]).inserted else { throw fail("track \(track) appears twice in frame \(frame)") }
            frames[frame, default: []].append(Entry(track: track, values: SIMD4(values[0], values[1], values[2], values[3])))
        }
        guard !frames.isEmpty else { throw PersonTrackingError.malformedBoxFile(path: path, line: 0, reason: "no boxes in the file") }
        return BoxTable(units: .pixels, frames: frames)
    }

    // MARK: PyMAF tracklets (JSON)

    static func parseTracklets(_ text: String, path: String) throws -> BoxTable {
        let root = try LineJSON.parse(text, path: path)
        func fail(_ value: LineJSON, _ reason: String) -> PersonTrackingError { .malformedBoxFile(path: path, line: value.line, reason: reason) }
        guard case let .array(tracklets) = root.value else { throw fail(root, "expected a list of tracklets") }
        var frames: [Int: [Entry]] = [:]
        var seen = Set<[Int]>()
        for tracklet in tracklets {
            guard let idx = tracklet["idx"], let track = idx.integer, track >= 0 else {
                throw fail(tracklet, "a tracklet needs \"idx\", a non-negative integer")
            }
            guard let list = tracklet["frames"], case let .array(items) = list.value else {
                throw fail(tracklet, "tracklet \(track) needs \"frames\", a list")
            }
            for item in items {
                guard let frame = item["frame_id"]?.integer, frame >= 0 else {
                    throw fail(item, "a frame of tracklet \(track) needs \"frame_id\", a non-negative integer")
                }
                guard let rect = item["rect"] else { throw fail(item, "frame \(frame) of tracklet \(track) has no \"rect\"") }
                var corners: [Double] = []
                for (corner, axis) in [("tl", "x"), ("tl", "y"), ("br", "x"), ("br", "y")] {
                    guard let value = rect[corner]?[axis], let number = value.number, number.isFinite, abs(number) < 1e4 else {
                        throw fail(rect, "rect.\(corner).\(axis) of frame \(frame), tracklet \(track) must be a number")
                    }
                    corners.append(number)
                }
                guard corners[2] > corners[0], corners[3] > corners[1] else {
                    throw fail(rect, "rect of frame \(frame), tracklet \(track): br must lie right of and below tl")
                }
                guard seen.insert([frame, track]).inserted else { throw fail(item, "tracklet \(track) lists frame \(frame) twice") }
                frames[frame, default: []].append(Entry(track: track, values: SIMD4(corners[0], corners[1], corners[2], corners[3])))
            }
        }
        guard !frames.isEmpty else { throw PersonTrackingError.malformedBoxFile(path: path, line: 0, reason: "no boxes in the file") }
        return BoxTable(units: .normalized, frames: frames)
    }
}
