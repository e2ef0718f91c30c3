import VideoIO

/// One person in one frame, as the tracker reports them.
public struct TrackedPerson: Sendable, Equatable {
    /// Stable identity, 0, 1, 2 … in order of confirmation.
    public var trackID: Int
    /// The square crop box (side already times `bboxScale`), in frame pixels.
    public var box: PersonBox
    /// Detector score of the detection behind this box (for held boxes, the last one).
    public var score: Float
    /// True when the person was not found in this frame and the last box is repeated
    /// (`MissingPolicy.hold`).
    public var isHeld: Bool

    public init(trackID: Int, box: PersonBox, score: Float, isHeld: Bool = false) {
        self.trackID = trackID
        self.box = box
        self.score = score
        self.isHeld = isHeld
    }
}

/// What the tracker needs from a detector: people in the whole frame and in a region, in
/// frame pixels, with scores at least `scoreThreshold`. `PersonDetector` is the real one.
public protocol PersonDetecting: AnyObject {
    var scoreThreshold: Float { get set }
    func detect(_ frame: VideoFrame) -> [PersonDetection]
    func detect(_ frame: VideoFrame, in region: DetectionRegion) -> [PersonDetection]
}

extension PersonDetector: PersonDetecting {}

/// A frame with the people tracked in it (possibly none), in input order.
public struct TrackedFrame: Sendable, Equatable {
    public var frame: VideoFrame
    public var people: [TrackedPerson]

    public init(frame: VideoFrame, people: [TrackedPerson]) {
        self.frame = frame
        self.people = people
    }
}

/// Finds people in each frame and links them into tracks with stable ids: a pipeline stage
/// (`process` each frame in order, `finish` at the end).
///
/// Per frame: every live track's box is predicted (`BoxMotionFilter`); tracks close together
/// are grouped, and the detector runs once per group inside the square covering the group's
/// predicted boxes grown by `redetectRegionScale`, at the detector's resolution. That run's
/// detections go to the group's tracks one-to-one, cheapest first (hip and shoulder distance to
/// the prediction within `associationDistance` box sides, plus the size change; no appearance
/// model; a track that missed the last frame is matched by its hip only). A detection that a
/// track left without one fits almost as well (within `ambiguityMargin`) is given to nobody.
/// The whole frame is searched every `fullFrameInterval` frames, when no track is live, and
/// whenever a region run missed a track; its detections serve the missed tracks, except those
/// with the pose of a person already matched in this frame. A missed track coasts on its
/// velocity, or holds still when it shares its region run with another track (people in
/// contact). Detections left over start new tracks unless their pose is that of a person
/// already found in the frame.
/// A new track is reported once it has `minTrackFrames` hits (its earlier frames are held back
/// and released then, so frame order is kept); one missed before that is dropped; a confirmed
/// track ends after `maxAge` frames without detection.
///
/// With a `BoxTable` instead of a detector it reports the user's boxes as they are.
///
///     var tracker = try PersonTracker(detector: detector, options: options)
///     for frame in frames { for tracked in try tracker.process(frame) { use(tracked) } }
///     for tracked in try tracker.finish() { use(tracked) }
public struct PersonTracker {
    public let options: TrackingOptions
    private let source: Source
    private var tracks: [Track] = []
    private var nextInternalID = 0
    private var nextTrackID = 0
    /// Frames not yet released: each with its candidate people (by internal track id).
    private var pending: [(frame: VideoFrame, entries: [Entry])] = []
    private var framesSeen = 0
    /// Internal id → track id of confirmed tracks, kept while held-back frames mention them.
    private var confirmedIDs: [Int: Int] = [:]

    private enum Source {
        case detector(any PersonDetecting)
        case boxes(BoxTable)
    }

    private struct Track {
        let internalID: Int
        var trackID: Int?
        var filter: BoxMotionFilter
        var hits = 1
        var misses = 0
        var score: Float
        var lastBox: PersonBox
        /// The detection of the last hit (its keypoints guide association).
        var detection: PersonDetection
    }

    private struct Entry {
        var internalID: Int
        var box: PersonBox
        var score: Float
        var held: Bool
    }

    /// Tracks people found by `detector` (normally a `PersonDetector`).
    public init(detector: any PersonDetecting, options: TrackingOptions = .init()) throws {
        try options.validate()
        self.options = options
        detector.scoreThreshold = options.detectionThreshold
        source = .detector(detector)
    }

    /// Reports user-supplied boxes (`--bbox_file`) instead of detecting.
    public init(boxes: BoxTable, options: TrackingOptions = .init()) throws {
        try options.validate()
        self.options = options
        source = .boxes(boxes)
    }

    /// Consumes one frame; returns the frames whose tracks are now decided (possibly none,
    /// possibly several held back earlier), in input order.
    public mutating func process(_ frame: VideoFrame) -> [TrackedFrame] {
        defer { framesSeen += 1 }
        switch source {
        case let .boxes(table):
            let people = table.boxes(forFrame: frame.index, width: frame.width, height: frame.height).map {
                TrackedPerson(trackID: $0.track, box: $0.box.squared(scale: options.bboxScale), score: 1)
            }
            return [TrackedFrame(frame: frame, people: people)]
        case let .detector(detector):
            let entries = step(frame, detector: detector)
            pending.append((frame, entries))
            return release()
        }
    }

    /// Releases every frame still held back; tracks never confirmed are left out.
    public mutating func finish() -> [TrackedFrame] {
        tracks.removeAll { $0.trackID == nil }
        return release(all: true)
    }

    // MARK: one frame

    private mutating func step(_ frame: VideoFrame, detector: any PersonDetecting) -> [Entry] {
        // 1. Re-detect around the live tracks: one detector run per group of tracks close
        //    enough to share a crop. Within one run the detector's own non-maximum suppression
        //    keeps people apart, so its detections are assigned to the group one-to-one; two
        //    separate runs could each return the same person, and nothing then tells a
        //    duplicate from a neighbour (close dancers' hips come within 0.03 box sides).
        let predictions = tracks.map { $0.filter.predicted() }
        var matched: [Int: PersonDetection] = [:]
        var unclaimed: [PersonDetection] = []
        var inContact = Set<Int>()
        for group in Self.groups(predictions, within: Self.groupDistance) {
            if group.count > 1 { inContact.formUnion(group) }
            let detections = detector.detect(frame, in: Self.region(around: group.map { predictions[$0] }, scale: options.redetectRegionScale))
            let (assigned, rest) = assign(group, predictions: predictions, to: detections)
            matched.merge(assigned) { first, _ in first }
            unclaimed += rest
        }
        // 2. The whole frame when due, when no track is live, or for tracks their region missed.
        //    A whole-frame detection with the pose of a person a region run already gave to a
        //    track is that person again, not the one the missed track follows: when two people
        //    are in contact the detector often sees only one of them, and handing that one to
        //    the missed track as well would pull it onto its neighbour (an identity switch).
        //    The missed track coasts on its predicted motion instead.
        let missing = tracks.indices.filter { matched[$0] == nil }
        if tracks.isEmpty || framesSeen % options.fullFrameInterval == 0 || !missing.isEmpty {
            let found = Array(matched.values)
            let fresh = detector.detect(frame).filter { detection in
                !found.contains { Self.poseDistance($0, detection) < Self.samePersonPoseDistance }
            }
            let (assigned, rest) = assign(missing, predictions: predictions, to: fresh)
            matched.merge(assigned) { first, _ in first }
            unclaimed += rest
        }

        // 3. Update the matched tracks; unmatched ones coast: tentative ones die at once,
        //    confirmed ones after maxAge.
        var entries: [Entry] = []
        var survivors: [Track] = []
        for (t, var track) in tracks.enumerated() {
            if let detection = matched[t] {
                track.filter.update(with: detection.bodyBox(factor: options.bodyBoxFactor), smoothing: options.smoothing)
                track.hits += 1
                track.misses = 0
                track.score = detection.score
                track.detection = detection
                if track.trackID == nil && track.hits >= options.minTrackFrames { confirm(&track) }
                track.lastBox = track.filter.box
                entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: false))
                survivors.append(track)
                continue
            }
            track.misses += 1
            // Beside another track (sharing its region run) a missed person is most likely
            // hidden by or merged with that neighbour: hold still rather than drift onto them.
            if inContact.contains(t) { track.filter.hold() } else { track.filter.coast() }
            guard track.trackID != nil, track.misses <= options.maxAge else { continue }
            if options.missingPolicy == .hold {
                entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: true))
            }
            survivors.append(track)
        }
        tracks = survivors

        // 4. New tracks from unclaimed detections, best first, unless their pose is that of a
        //    person already found in this frame (another run's view of them).
        for detection in unclaimed.sorted(by: { $0.score > $1.score }) {
            guard tracks.count < options.maxPeople else { break }
            let known = tracks.contains { $0.misses == 0 && Self.poseDistance($0.detection, detection) < Self.samePersonPoseDistance }
            guard !known else { continue }
            let box = detection.bodyBox(factor: options.bodyBoxFactor)
            var track = Track(internalID: nextInternalID, filter: BoxMotionFilter(box), score: detection.score, lastBox: box, detection: detection)
            nextInternalID += 1
            if options.minTrackFrames <= 1 { confirm(&track) }
            entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: false))
            tracks.append(track)
        }
        return entries
    }

    /// Assigns detections of one detector run to the tracks `candidates` (indices into
    /// `tracks`): cheapest pairs first, one detection per track and one track per detection.
    /// Returns the matches and the detections left over.
    private func assign(_ candidates: [Int], predictions: [PersonBox], to detections: [PersonDetection])
        -> (matched: [Int: PersonDetection], rest: [PersonDetection]) {
        var pairs: [(cost: Float, track: Int, detection: Int)] = []
        for t in candidates {
            for (d, detection) in detections.enumerated() {
                if let cost = Self.matchCost(predicted: predictions[t], last: tracks[t].detection, detection,
                                             factor: options.bodyBoxFactor, gate: options.associationDistance,
                                             shoulders: tracks[t].misses == 0) {
                    pairs.append((cost, t, d))
                }
            }
        }
        pairs.sort { $0.cost < $1.cost }
        var matched: [Int: Int] = [:]
        var order: [Int] = []
        var taken = [Bool](repeating: false, count: detections.count)
        for pair in pairs where matched[pair.track] == nil && !taken[pair.detection] {
            matched[pair.track] = pair.detection
            order.append(pair.track)
            taken[pair.detection] = true
        }
        // A detection that a track left without one fits almost as well is ambiguous (two people
        // in contact, the detector seeing one of them): nobody takes it and both tracks coast,
        // rather than one of them guessing and perhaps switching to the other person. It stays
        // taken, so it starts no new track either.
        let cost = Dictionary(pairs.map { (Pair(track: $0.track, detection: $0.detection), $0.cost) }) { a, _ in a }
        for t in order {
            guard let d = matched[t] else { continue }
            let won = cost[Pair(track: t, detection: d)]!
            let contested = candidates.contains { other in
                other != t && matched[other] == nil && (cost[Pair(track: other, detection: d)].map { $0 - won < Self.ambiguityMargin } ?? false)
            }
            if contested { matched[t] = nil }
        }
        return (matched.mapValues { detections[$0] }, detections.indices.filter { !taken[$0] }.map { detections[$0] })
    }

    private struct Pair: Hashable { var track: Int, detection: Int }

    private mutating func confirm(_ track: inout Track) {
        track.trackID = nextTrackID
        confirmedIDs[track.internalID] = nextTrackID
        nextTrackID += 1
    }

    /// Releases frames from the front while every person in them is decided: confirmed (kept)
    /// or gone without confirmation (dropped).
    private mutating func release(all: Bool = false) -> [TrackedFrame] {
        var released: [TrackedFrame] = []
        let state = Dictionary(uniqueKeysWithValues: tracks.map { ($0.internalID, $0.trackID) })
        while let first = pending.first {
            var people: [TrackedPerson] = []
            var undecided = false
            for entry in first.entries {
                switch state[entry.internalID] {
                case .some(.some(let id)):
                    people.append(TrackedPerson(trackID: id, box: entry.box.squared(scale: options.bboxScale), score: entry.score, isHeld: entry.held))
                case .some(.none):
                    undecided = true
                case .none:
                    // Ended: kept if it was confirmed before ending.
                    if let id = confirmedIDs[entry.internalID] {
                        people.append(TrackedPerson(trackID: id, box: entry.box.squared(scale: options.bboxScale), score: entry.score, isHeld: entry.held))
                    }
                }
            }
            if undecided && !all { break }
            pending.removeFirst()
            released.append(TrackedFrame(frame: first.frame, people: people.sorted { $0.trackID < $1.trackID }))
        }
        // Forget ids of ended tracks that no held-back frame mentions any more.
        let live = Set(tracks.map(\.internalID))
        let mentioned = Set(pending.flatMap { $0.entries.map(\.internalID) })
        confirmedIDs = confirmedIDs.filter { live.contains($0.key) || mentioned.contains($0.key) }
        return released
    }

    // MARK: geometry

    /// Tracks whose predicted centres are closer than this many box sides share one detector run.
    static let groupDistance: Float = 0.5
    /// Two views of one person (from different detector runs) differ by less than this pose
    /// distance. Measured on the dancers clip, whole frame against a 1.6× region: median 0.08,
    /// 99th percentile 0.26, largest 0.29; two people found in one run differ by at least 0.20.
    static let samePersonPoseDistance: Float = 0.3
    /// A detection is ambiguous when a track left without one matches it within this much of the
    /// winner's cost (see `assign`).
    static let ambiguityMargin: Float = 0.05

    static func centreDistance(_ a: PersonBox, _ b: PersonBox) -> Float {
        let dx = a.centerX - b.centerX, dy = a.centerY - b.centerY
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Partitions track indices into groups linked by centre distance < `within` box sides.
    static func groups(_ boxes: [PersonBox], within: Float) -> [[Int]] {
        var groups: [[Int]] = []
        for (i, box) in boxes.enumerated() {
            let linked = groups.indices.filter { g in
                groups[g].contains { centreDistance(boxes[$0], box) < within * max(boxes[$0].width, box.width) }
            }
            var merged = [i]
            for g in linked.reversed() { merged = groups.remove(at: g) + merged }
            groups.append(merged)
        }
        return groups
    }

    /// The square region covering every box grown by `scale` about its centre.
    static func region(around boxes: [PersonBox], scale: Float) -> DetectionRegion {
        var lo = SIMD2<Float>(repeating: .infinity), hi = SIMD2<Float>(repeating: -.infinity)
        for box in boxes {
            let half = box.width * scale / 2
            lo = pointwiseMin(lo, SIMD2(box.centerX - half, box.centerY - half))
            hi = pointwiseMax(hi, SIMD2(box.centerX + half, box.centerY + half))
        }
        let centre = (lo + hi) / 2
        return DetectionRegion(centerX: centre.x, centerY: centre.y, side: (hi - lo).max())
    }

    /// Largest of the hip distance and the shoulder-centre distance (keypoints 0 and 2), in
    /// body box sides. Hips alone do not tell close people apart; shoulders mostly do.
    static func poseDistance(_ a: PersonDetection, _ b: PersonDetection) -> Float {
        let side = max(2 * max(a.bodyRadius, b.bodyRadius), 1)
        let hips = a.keypoints[0] - b.keypoints[0], shoulders = a.keypoints[2] - b.keypoints[2]
        return max((hips * hips).sum(), (shoulders * shoulders).sum()).squareRoot() / side
    }

    /// Association cost of a detection with a track: the larger of the hip distance to the
    /// predicted centre and the shoulder distance to where the track's last shoulder offset puts
    /// it, in predicted box sides, plus the size change; nil outside the gate or beyond 2× size.
    /// With `shoulders` false (a track that missed the last frame: its last shoulder offset is
    /// stale, people in contact bend and turn) only the hip counts.
    static func matchCost(predicted: PersonBox, last: PersonDetection, _ detection: PersonDetection, factor: Float, gate: Float,
                          shoulders: Bool = true) -> Float? {
        let side = max(predicted.width, 1)
        let hip = SIMD2(predicted.centerX, predicted.centerY)
        let shoulder = hip + last.keypoints[2] - last.keypoints[0]
        let dh = detection.keypoints[0] - hip, ds = detection.keypoints[2] - shoulder
        let distance = (shoulders ? max((dh * dh).sum(), (ds * ds).sum()) : (dh * dh).sum()).squareRoot() / side
        let ratio = max(detection.bodyBox(factor: factor).width, 1) / side
        guard distance < gate, ratio > 0.5, ratio < 2 else { return nil }
        return distance + abs(ratio - 1)
    }
}
