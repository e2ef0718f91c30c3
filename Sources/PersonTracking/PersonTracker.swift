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
/// Per frame: every live track's box is predicted (`BoxMotionFilter`), the detector runs on the
/// whole frame (every `fullFrameInterval` frames, or whenever a track was missed or none is
/// live) and inside each live track's predicted region at the detector's resolution;
/// detections of one person seen twice are merged; tracks take the nearest detection within
/// `associationDistance` box sides (greedy, closest pair first; no appearance model); unclaimed
/// detections away from every track start new tracks. A new track is reported once it has
/// `minTrackFrames` hits (its earlier frames are held back and released then, so frame order is
/// kept); one missed before that is dropped; a confirmed track ends after `maxAge` frames
/// without detection.
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
        // 1. Predict, and look for people: whole frame when due, and around every live track.
        let predictions = tracks.map { $0.filter.predicted() }
        let fullFrame = tracks.isEmpty || framesSeen % options.fullFrameInterval == 0 || tracks.contains { $0.misses > 0 }
        var found: [PersonDetection] = fullFrame ? detector.detect(frame) : []
        for box in predictions {
            let side = box.width * options.redetectRegionScale
            found += detector.detect(frame, in: DetectionRegion(centerX: box.centerX, centerY: box.centerY, side: side))
        }
        let candidates = Self.mergeDuplicates(found.map { (box: $0.bodyBox(factor: options.bodyBoxFactor), score: $0.score) })

        // 2. Associate: closest (track, detection) pairs first, within the gate.
        var pairs: [(cost: Float, track: Int, detection: Int)] = []
        for (t, predicted) in predictions.enumerated() {
            for (d, candidate) in candidates.enumerated() {
                if let cost = Self.matchCost(predicted, candidate.box, gate: options.associationDistance) {
                    pairs.append((cost, t, d))
                }
            }
        }
        pairs.sort { $0.cost < $1.cost }
        var trackTaken = [Bool](repeating: false, count: tracks.count)
        var detectionTaken = [Bool](repeating: false, count: candidates.count)
        for pair in pairs where !trackTaken[pair.track] && !detectionTaken[pair.detection] {
            trackTaken[pair.track] = true
            detectionTaken[pair.detection] = true
            let candidate = candidates[pair.detection]
            tracks[pair.track].filter.update(with: candidate.box, smoothing: options.smoothing)
            tracks[pair.track].hits += 1
            tracks[pair.track].misses = 0
            tracks[pair.track].score = candidate.score
        }

        // 3. Unmatched tracks coast; tentative ones die at once, confirmed ones after maxAge.
        var entries: [Entry] = []
        var survivors: [Track] = []
        for (t, var track) in tracks.enumerated() {
            if trackTaken[t] {
                if track.trackID == nil && track.hits >= options.minTrackFrames { confirm(&track) }
                track.lastBox = track.filter.box
                entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: false))
                survivors.append(track)
                continue
            }
            track.misses += 1
            track.filter.coast()
            guard track.trackID != nil, track.misses <= options.maxAge else { continue }
            if options.missingPolicy == .hold {
                entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: true))
            }
            survivors.append(track)
        }
        tracks = survivors

        // 4. New tracks from unclaimed detections clear of every live track, best first.
        for (d, candidate) in candidates.enumerated() where !detectionTaken[d] {
            guard tracks.count < options.maxPeople else { break }
            let clear = tracks.allSatisfy { Self.centreDistance($0.filter.box, candidate.box) > 0.5 * max($0.filter.box.width, candidate.box.width) }
            guard clear else { continue }
            var track = Track(internalID: nextInternalID, filter: BoxMotionFilter(candidate.box), score: candidate.score, lastBox: candidate.box)
            nextInternalID += 1
            if options.minTrackFrames <= 1 { confirm(&track) }
            entries.append(Entry(internalID: track.internalID, box: track.lastBox, score: track.score, held: false))
            tracks.append(track)
        }
        return entries
    }

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

    static func centreDistance(_ a: PersonBox, _ b: PersonBox) -> Float {
        let dx = a.centerX - b.centerX, dy = a.centerY - b.centerY
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Association cost: centre distance in box sides plus the log size ratio; nil outside the gate.
    static func matchCost(_ predicted: PersonBox, _ detected: PersonBox, gate: Float) -> Float? {
        let side = max(predicted.width, 1)
        let distance = centreDistance(predicted, detected) / side
        let ratio = max(detected.width, 1) / side
        guard distance < gate, ratio > 0.5, ratio < 2 else { return nil }
        return distance + abs(ratio - 1)
    }

    /// One person seen by several detector runs: centres within 0.15 box sides and sizes
    /// within 25 % are one; the highest-scoring box is kept.
    static func mergeDuplicates(_ boxes: [(box: PersonBox, score: Float)]) -> [(box: PersonBox, score: Float)] {
        var kept: [(box: PersonBox, score: Float)] = []
        for candidate in boxes.sorted(by: { $0.score > $1.score }) {
            let duplicate = kept.contains { k in
                let side = max(k.box.width, candidate.box.width, 1)
                let ratio = candidate.box.width / max(k.box.width, 1)
                return centreDistance(k.box, candidate.box) < 0.15 * side && ratio > 0.8 && ratio < 1.25
            }
            if !duplicate { kept.append(candidate) }
        }
        return kept
    }
}
