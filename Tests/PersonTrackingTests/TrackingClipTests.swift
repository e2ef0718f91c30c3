import Foundation
import Testing
import VideoIO
@testable import PersonTracking

/// End to end on the real clips: decode with VideoIO, detect and track with default options.
@Suite(.serialized) struct TrackingClipTests {
    static func track(_ clip: String) throws -> [TrackedFrame] {
        let decoder = try VideoDecoder(url: TestPaths.sharedData.appendingPathComponent(clip))
        var tracker = try PersonTracker(detector: try PersonDetector(modelURL: TestPaths.detectorModel))
        var out: [TrackedFrame] = []
        while let frame = try decoder.nextFrame() { out += tracker.process(frame) }
        return out + tracker.finish()
    }

    /// Frames in which each track is reported.
    static func frames(of out: [TrackedFrame]) -> [Int: [Int]] {
        var frames: [Int: [Int]] = [:]
        for tracked in out { for person in tracked.people { frames[person.trackID, default: []].append(tracked.frame.index) } }
        return frames
    }

    /// Largest frame-to-frame move of any track's centre, in box sides.
    static func largestJump(_ out: [TrackedFrame]) -> Float {
        var previous: [Int: PersonBox] = [:]
        var largest: Float = 0
        for tracked in out {
            for person in tracked.people {
                if let last = previous[person.trackID] {
                    largest = max(largest, PersonTracker.centreDistance(last, person.box) / person.box.width)
                }
                previous[person.trackID] = person.box
            }
        }
        return largest
    }

    /// runner_1080p.mp4: one person crossing a court, 180 frames.
    @Test func runnerIsOneTrackForAllFrames() throws {
        let out = try Self.track("runner_1080p.mp4")
        #expect(out.map(\.frame.index) == Array(0..<180))
        #expect(out.allSatisfy { $0.people.map(\.trackID) == [0] }, "\(out.filter { $0.people.map(\.trackID) != [0] }.map { ($0.frame.index, $0.people.map(\.trackID)) })")
    }

    /// two_dancers_portrait.mp4: two dancers side by side, 567 frames; the whole-frame detector
    /// alone sees both in only 156. Required: exactly two tracks for the whole clip (no third id:
    /// no fragment, no ghost); the dancer in front is tracked in every frame; the dancer behind,
    /// whom the detector cannot separate from her partner until they step apart (scores below
    /// 0.5 even in tight crops before frame ~150), is tracked from then to the end in at least
    /// 95 % of the frames; and no identity switch: no track's centre jumps by a fifth of its box
    /// between frames (a switch to the other dancer moves it by their separation).
    @Test func dancersAreTwoTracksWithoutSwitch() throws {
        let out = try Self.track("two_dancers_portrait.mp4")
        #expect(out.map(\.frame.index) == Array(0..<567))
        let frames = Self.frames(of: out)
        #expect(frames.keys.sorted() == [0, 1], "tracks \(frames.mapValues { ($0.first ?? -1, $0.last ?? -1, $0.count) })")
        #expect(frames[0] == Array(0..<567), "track 0 missing in \(Set(0..<567).subtracting(frames[0] ?? []).sorted())")
        let second = frames[1] ?? []
        let start = second.first ?? 567
        #expect(start <= 160, "track 1 starts at frame \(start)")
        #expect(second.last == 566)
        #expect(Float(second.count) >= 0.95 * Float(567 - start), "track 1 in \(second.count) of frames \(start)..<567: missing \(Set(start..<567).subtracting(second).sorted())")
        let jump = Self.largestJump(out)
        #expect(jump < 0.2, "largest frame-to-frame jump \(jump) box sides")
    }
}
