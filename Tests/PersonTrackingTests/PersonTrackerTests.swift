import Testing
import VideoIO
@testable import PersonTracking

/// A detector that reports scripted body boxes: all of a frame's boxes for the whole frame
/// (unless hidden from it), those whose centre lies in the region for a region.
final class ScriptedDetector: PersonDetecting {
    var scoreThreshold: Float = 0.5
    var boxes: [Int: [PersonBox]] = [:]
    /// Boxes the whole-frame pass does not see (found only by re-detection).
    var hiddenFromWholeFrame: [Int: [PersonBox]] = [:]
    private(set) var wholeFrameCalls = 0
    private(set) var regionCalls = 0

    static func detection(_ box: PersonBox, score: Float = 0.9) -> PersonDetection {
        let r = box.width / (2 * PersonDetector.defaultBodyBoxFactor)
        let hip = SIMD2(box.centerX, box.centerY)
        return PersonDetection(score: score, box: DetectionRect(xMin: box.centerX - 10, yMin: box.centerY - r, width: 20, height: 20),
                               keypoints: [hip, hip - SIMD2(0, r), hip - SIMD2(0, r / 2), hip - SIMD2(0, r)])
    }

    func detect(_ frame: VideoFrame) -> [PersonDetection] {
        wholeFrameCalls += 1
        let hidden = hiddenFromWholeFrame[frame.index] ?? []
        return (boxes[frame.index] ?? []).filter { !hidden.contains($0) }.map { Self.detection($0) }
    }

    func detect(_ frame: VideoFrame, in region: DetectionRegion) -> [PersonDetection] {
        regionCalls += 1
        return (boxes[frame.index] ?? []).filter {
            $0.centerX >= region.originX && $0.centerX < region.originX + region.side &&
                $0.centerY >= region.originY && $0.centerY < region.originY + region.side
        }.map { Self.detection($0) }
    }
}

@Suite struct PersonTrackerTests {
    static func frame(_ index: Int) -> VideoFrame {
        VideoFrame(index: index, time: Double(index) / 30, width: 4, height: 4, rgb: [UInt8](repeating: 0, count: 48))
    }

    static func run(_ detector: ScriptedDetector, frames: Int, options: TrackingOptions) throws -> [TrackedFrame] {
        var tracker = try PersonTracker(detector: detector, options: options)
        var out: [TrackedFrame] = []
        for i in 0..<frames { out += tracker.process(frame(i)) }
        out += tracker.finish()
        return out
    }

    @Test func twoPeopleKeepTheirIdentitiesThroughMissesAndCloseApproach() throws {
        let detector = ScriptedDetector()
        for i in 0..<60 {
            // A walks right, B walks left; they pass within 0.3 box sides of each other at i ≈ 30.
            let a = PersonBox(centerX: 100 + Float(i) * 5, centerY: 200, width: 100, height: 100)
            let b = PersonBox(centerX: 400 - Float(i) * 5, centerY: 230, width: 100, height: 100)
            detector.boxes[i] = (20..<24).contains(i) ? [b] : [a, b]  // A unseen for 4 frames
            if i % 2 == 0 { detector.hiddenFromWholeFrame[i] = [b] }  // the whole frame misses B half the time
        }
        var options = TrackingOptions()
        options.smoothing = false
        let out = try Self.run(detector, frames: 60, options: options)
        #expect(out.map(\.frame.index) == Array(0..<60))
        var lastX: [Int: Float] = [:]
        for tracked in out {
            #expect(Set(tracked.people.map(\.trackID)).isSubset(of: [0, 1]))
            for person in tracked.people {
                // Track 0 is A (moving right), track 1 is B (moving left): positions stay monotone.
                if let previous = lastX[person.trackID] {
                    #expect(person.trackID == 0 ? person.box.centerX > previous : person.box.centerX < previous, "frame \(tracked.frame.index)")
                }
                lastX[person.trackID] = person.box.centerX
            }
        }
        // B is first seen by the whole-frame pass of frame 3 (frame 0 hides it, 1 and 2 run re-detection
        // only); A is unseen in 20..<24. Every other frame has both.
        #expect(out.filter { $0.people.count == 2 }.count == 53, "\(out.filter { $0.people.count != 2 }.map { ($0.frame.index, $0.people.map(\.trackID)) })")
        #expect(out[21].people.map(\.trackID) == [1])  // skip policy: nothing for A while unseen
    }

    @Test func holdRepeatsTheLastBoxWhileTheTrackLives() throws {
        let detector = ScriptedDetector()
        for i in 0..<20 where !(8..<11).contains(i) {
            detector.boxes[i] = [PersonBox(centerX: 100, centerY: 100, width: 50, height: 50)]
        }
        var options = TrackingOptions()
        options.missingPolicy = .hold
        options.maxAge = 5
        let out = try Self.run(detector, frames: 20, options: options)
        #expect(out.count == 20)
        #expect(out.allSatisfy { $0.people.count == 1 && $0.people[0].trackID == 0 })
        #expect(out[9].people[0].isHeld && !out[12].people[0].isHeld)
        #expect(out[9].people[0].box == out[7].people[0].box)
    }

    @Test func shortTracksAreDroppedAndFramesStayInOrder() throws {
        let detector = ScriptedDetector()
        for i in 0..<30 { detector.boxes[i] = [PersonBox(centerX: 100, centerY: 100, width: 50, height: 50)] }
        for i in 10..<13 { detector.boxes[i]! += [PersonBox(centerX: 600, centerY: 300, width: 40, height: 40)] }  // a 3-frame ghost
        var options = TrackingOptions()
        options.minTrackFrames = 5
        let out = try Self.run(detector, frames: 30, options: options)
        #expect(out.map(\.frame.index) == Array(0..<30))
        #expect(out.allSatisfy { $0.people.map(\.trackID) == [0] })
    }

    @Test func tracksEndAfterMaxAgeAndMaxPeopleCapsTracks() throws {
        let detector = ScriptedDetector()
        for i in 0..<40 {
            var boxes = [PersonBox(centerX: 100, centerY: 100, width: 50, height: 50), PersonBox(centerX: 300, centerY: 100, width: 50, height: 50),
                         PersonBox(centerX: 500, centerY: 100, width: 50, height: 50)]
            if (10..<20).contains(i) { boxes.removeFirst() }  // the first person leaves for 10 frames
            detector.boxes[i] = boxes
        }
        var options = TrackingOptions()
        options.maxAge = 4
        let out = try Self.run(detector, frames: 40, options: options)
        #expect(Set(out.flatMap { $0.people.map(\.trackID) }) == [0, 1, 2, 3])  // returns as a new track
        #expect(out[30].people.count == 3)

        options.maxPeople = 2
        let capped = try Self.run(detector, frames: 40, options: options)
        #expect(capped.allSatisfy { $0.people.count <= 2 })
    }

    @Test func smoothingRemovesJitterWithoutLaggingFastMotion() throws {
        // Jitter: a still person whose detected centre wobbles by ±3 px.
        let still = ScriptedDetector()
        for i in 0..<60 { still.boxes[i] = [PersonBox(centerX: 200 + (i % 2 == 0 ? 3 : -3), centerY: 200, width: 120, height: 120)] }
        let quiet = try Self.run(still, frames: 60, options: TrackingOptions())
        let xs = quiet[20...].map { $0.people[0].box.centerX }
        let spread = (xs.max() ?? 0) - (xs.min() ?? 0)
        #expect(spread < 6 * 0.5, "output spread \(spread) px for a 6 px input wobble")

        // Fast motion: 25 px a frame; after a few frames the estimate sits on the detections.
        let fast = ScriptedDetector()
        for i in 0..<40 { fast.boxes[i] = [PersonBox(centerX: 100 + Float(i) * 25, centerY: 200, width: 120, height: 120)] }
        let moving = try Self.run(fast, frames: 40, options: TrackingOptions())
        for tracked in moving[15...] {
            let truth = 100 + Float(tracked.frame.index) * 25
            #expect(abs(tracked.people[0].box.centerX - truth) < 1, "frame \(tracked.frame.index): \(tracked.people[0].box.centerX) vs \(truth)")
        }
    }

    @Test func boxesAreSquaredAndScaled() throws {
        let detector = ScriptedDetector()
        for i in 0..<10 { detector.boxes[i] = [PersonBox(centerX: 100, centerY: 100, width: 80, height: 80)] }
        var options = TrackingOptions()
        options.bboxScale = 1.25
        options.minTrackFrames = 1
        let out = try Self.run(detector, frames: 10, options: options)
        #expect(out.allSatisfy { $0.people.first?.box == PersonBox(centerX: 100, centerY: 100, width: 100, height: 100) })
    }

    @Test func wholeFrameDetectionRunsOnSchedule() throws {
        let detector = ScriptedDetector()
        for i in 0..<30 { detector.boxes[i] = [PersonBox(centerX: 100, centerY: 100, width: 80, height: 80)] }
        var options = TrackingOptions()
        options.fullFrameInterval = 3
        _ = try Self.run(detector, frames: 30, options: options)
        #expect(detector.wholeFrameCalls == 10)
        #expect(detector.regionCalls == 29)
    }

    @Test func userBoxesReplaceTheDetector() throws {
        let table = BoxTable(units: .pixels, frames: [1: [.init(track: 5, values: SIMD4(50, 60, 20, 40))]])
        var options = TrackingOptions()
        options.bboxScale = 1.1
        var tracker = try PersonTracker(boxes: table, options: options)
        #expect(tracker.process(Self.frame(0)) == [TrackedFrame(frame: Self.frame(0), people: [])])
        let out = tracker.process(Self.frame(1))
        #expect(out.first?.people.first?.trackID == 5)
        #expect(abs((out.first?.people.first?.box.width ?? 0) - 44) < 1e-4)
    }

    @Test func badOptionsAreRefused() {
        var options = TrackingOptions()
        options.detectionThreshold = 1.5
        #expect(throws: PersonTrackingError.invalidOption(name: "detection_threshold", reason: "must lie in (0, 1), got 1.5")) {
            _ = try PersonTracker(detector: ScriptedDetector(), options: options)
        }
    }
}
