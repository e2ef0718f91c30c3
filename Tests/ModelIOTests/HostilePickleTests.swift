import Foundation
import Testing
@testable import ModelIO

@Suite(.serialized) struct HostilePickleTests {
    static let marker = "/tmp/modelio_hostile_pickle_ran"

    /// The fixture's REDUCE would run `os.system("touch /tmp/modelio_hostile_pickle_ran")`.
    @Test func osSystemIsRefusedAndNothingRuns() throws {
        try? FileManager.default.removeItem(atPath: Self.marker)
        let error = modelIOError { _ = try Unpickler().load(try Fixtures.bytes("hostile_os_system.pkl")) }
        #expect(error?.reason == .unknownGlobal("os.system"))
        #expect(error?.offset == 43)  // the GLOBAL opcode, before any REDUCE
        #expect(error?.description.contains("os.system") == true)
        #expect(!FileManager.default.fileExists(atPath: Self.marker))
    }

    /// The same payload inside a zip checkpoint, named through STACK_GLOBAL (protocol 4).
    @Test func hostileCheckpointIsRefused() throws {
        try? FileManager.default.removeItem(atPath: Self.marker)
        let error = modelIOError { _ = try TorchCheckpoint(contentsOf: Fixtures.url("hostile_checkpoint.pt")) }
        #expect(error?.reason == .unknownGlobal("posix.system"))
        #expect(error?.file?.hasSuffix("hostile_checkpoint.pt") == true)
        #expect(!FileManager.default.fileExists(atPath: Self.marker))
    }

    @Test(arguments: [
        ("cbuiltins\neval\n(S'1'\ntR.", "builtins.eval"),
        ("\u{80}\u{04}\u{8C}\u{0A}subprocess\u{8C}\u{05}Popen\u{93}.", "subprocess.Popen"),
        ("(S'ls'\nios\nsystem\n.", "os.system"),
        ("ctorch\nload\n.", "torch.load"),
        ("cnumpy\nload\n.", "numpy.load"),
    ])
    func otherGlobalsAreRefused(pickle: String, name: String) {
        let bytes = pickle.unicodeScalars.map { UInt8($0.value) }
        let error = modelIOError { _ = try Unpickler().load(bytes) }
        #expect(error?.reason == .unknownGlobal(name))
    }

    @Test func extensionCodesAreRefused() {
        let error = modelIOError { _ = try Unpickler().load([0x80, 0x02, 0x82, 0x07, 0x2E]) }
        #expect(error?.reason == .unknownGlobal("copyreg extension code 7"))
    }
}
