import Foundation
import Testing
@testable import ModelIO

/// The same text the fixtures script's `canonical()` renders, for comparing decoded values
/// with what Python decoded, value by value.
func canonical(_ value: PickleValue) -> String {
    func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
    switch value {
    case .none: return "None"
    case .bool(let flag): return flag ? "True" : "False"
    case .int(let number): return String(number)
    case .bigInt(var bytes):
        // Minimal two's complement, as Python's int.to_bytes with (bit_length + 8) // 8.
        while bytes.count > 1 {
            let last = bytes[bytes.count - 1], previous = bytes[bytes.count - 2]
            if (last == 0 && previous & 0x80 == 0) || (last == 0xFF && previous & 0x80 != 0) { bytes.removeLast() } else { break }
        }
        return "long:" + hex(bytes)
    case .float(let number): return "float:" + hex(withUnsafeBytes(of: number.bitPattern.littleEndian) { Array($0) })
    case .string(let text): return "str:" + hex(Array(text.utf8))
    case .bytes(let slice): return "bytes:" + hex(slice.array)
    case .list(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
    case .tuple(let items): return "(" + items.map(canonical).joined(separator: ",") + ")"
    case .set(let items): return "set{" + items.map(canonical).sorted().joined(separator: ",") + "}"
    case .dict(let entries): return "{" + entries.map { canonical($0.key) + ":" + canonical($0.value) }.joined(separator: ",") + "}"
    default: return "<\(value.kindName)>"
    }
}

/// Bytes from a string whose characters are all below U+0100.
func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8($0.value) } }

@Suite struct PickleProtocolTests {
    /// One object (ints of every width, floats, text, bytes, bytearray, tuples, sets, shared
    /// and nested containers, 2500-item lists, 1100-item dicts) pickled by Python with each
    /// protocol; every value must decode to what Python decoded.
    @Test(arguments: 0...5)
    func pythonSampleDecodesIdentically(protocolVersion: Int) throws {
        let expected = try String(contentsOf: Fixtures.url("protocols/sample_expected.txt"), encoding: .utf8)
        let value = try Unpickler().load(try Fixtures.bytes("protocols/sample_p\(protocolVersion).pkl"))
        #expect(canonical(value) + "\n" == expected)
    }

    @Test func stackOpcodes() throws {
        // PROTO 2, 1, 2, POP, DUP, TUPLE2, MARK, 5, 6, POP_MARK, STOP → (1, 1)
        let value = try Unpickler().load(latin1("\u{80}\u{02}K\u{01}K\u{02}02\u{86}(K\u{05}K\u{06}1."))
        #expect(canonical(value) == "(1,1)")
        // POP of a bare MARK discards the mark.
        #expect(canonical(try Unpickler().load(latin1("K\u{07}(0."))) == "7")
    }

    @Test func wideLengthOpcodes() throws {
        var bytes = latin1("\u{80}\u{04}(\u{8B}") + [9, 0, 0, 0] + [0xD2, 0x0A, 0x3F, 0x4E, 0xEE, 0xE0, 0x73, 0xC3, 0xF6]
        bytes += [0x8D] + NumPyArrayData.littleEndianBytes([UInt64(4)]) + Array("héy".utf8)
        bytes += [0x8E] + NumPyArrayData.littleEndianBytes([UInt64(2)]) + [0xFF, 0x00]
        bytes += [0x96] + NumPyArrayData.littleEndianBytes([UInt64(1)]) + [0x7F]
        bytes += latin1("r") + NumPyArrayData.littleEndianBytes([UInt32(70000)])
        bytes += latin1("j") + NumPyArrayData.littleEndianBytes([UInt32(70000)])
        bytes += latin1("\u{95}") + NumPyArrayData.littleEndianBytes([UInt64(2)]) + latin1("K\u{09}")
        bytes += latin1("t.")
        let value = try Unpickler().load(bytes)
        #expect(canonical(value) == "(long:d20a3f4eeee073c3f6,str:68c3a979,bytes:ff00,bytes:7f,bytes:7f,9)")
    }

    @Test func protocolZeroText() throws {
        #expect(canonical(try Unpickler().load(latin1("I01\n."))) == "True")
        #expect(canonical(try Unpickler().load(latin1("I00\n."))) == "False")
        #expect(canonical(try Unpickler().load(latin1("I-12\n."))) == "-12")
        #expect(canonical(try Unpickler().load(latin1("L123456789012345678901234567890L\n."))) == "long:d20a3f4eeee073c3f60fe98e01")
        #expect(canonical(try Unpickler().load(latin1("L-1180591620717411303424L\n."))) == "long:0000000000000000c0")
        #expect(try Unpickler().load(latin1("F-2.5\n.")).doubleValue == -2.5)
        // STRING with escapes: a \n A ' A (octal 101) and a backslash.
        #expect(try Unpickler().load(latin1("S'a\\n\\x41\\'\\101\\\\'\n.")).text == "a\nA'A\\")
        #expect(try Unpickler().load(latin1("S\"double\"\n.")).text == "double")
        // UNICODE (raw-unicode-escape).
        #expect(try Unpickler().load(latin1("Vcaf\u{E9} \\u2603\\U0001f600\n.")).text == "café ☃😀")
        // PUT / GET with decimal indices.
        // LIST, PUT, APPEND, POP, GET.
        #expect(canonical(try Unpickler().load(latin1("(lp0\nI3\na0g0\n."))) == "[3]")
    }

    @Test func python2StringsAreLatin1() throws {
        let ascii = try Unpickler().load(latin1("U\u{03}abc."))
        #expect(canonical(ascii) == "str:616263")
        let accented = try Unpickler().load(latin1("T\u{04}\u{00}\u{00}\u{00}caf\u{E9}."))
        guard case .bytes(let raw) = accented else { Issue.record("expected raw latin1 bytes"); return }
        #expect(raw.array == [0x63, 0x61, 0x66, 0xE9])
        #expect(accented.text == "café")
    }

    @Test func objectConstructionOpcodes() throws {
        let obj = try Unpickler().load(latin1("(cbuiltins\nobject\no."))
        let inst = try Unpickler().load(latin1("(i__builtin__\nobject\n."))
        let newobjEx = try Unpickler().load(latin1("\u{80}\u{04}cbuiltins\nobject\n)}\u{92}}(K\u{01}K\u{02}ub."))
        for value in [obj, inst, newobjEx] {
            guard case .object(let type, _) = value else { Issue.record("expected an object, got \(value.kindName)"); continue }
            #expect(type == "builtins.object")
        }
        guard case .object(_, let state) = newobjEx else { return }
        #expect(canonical(state) == "{1:2}")
    }

    @Test func sharedMemoKeepsPythonSemantics() throws {
        // d = {}; memo[0] = d; l = [d, d]; d['k'] = 1 after both references exist.
        let value = try Unpickler().load(latin1("\u{80}\u{02}}q\u{00}h\u{00}\u{86}h\u{00}U\u{01}kK\u{01}s0."))
        #expect(canonical(value) == "({str:6b:1},{str:6b:1})")
    }

    @Test func buffersAndPersistentIDs() throws {
        #expect(try Unpickler().load(latin1("\u{80}\u{05}C\u{01}a\u{98}.")).text == "a")
        let nextBuffer = modelIOError { _ = try Unpickler().load(latin1("\u{80}\u{05}\u{97}.")) }
        #expect(nextBuffer?.reason == .unsupported("out-of-band buffers (NEXT_BUFFER)"))
        let persid = modelIOError { _ = try Unpickler().load(latin1("Pfoo\n.")) }
        #expect(persid?.reason == .unsupported("text persistent ids (PERSID)"))
        let binpersid = modelIOError { _ = try Unpickler().load(latin1("U\u{01}xQ.")) }
        #expect(binpersid?.reason == .unsupported("persistent ids (this pickle refers to data outside itself)"))
    }
}

@Suite struct PickleHardeningTests {
    @Test func malformedInputsAreTypedErrors() {
        let cases: [([UInt8], ModelIOError.Reason)] = [
            (latin1("\u{80}\u{02}."), .malformed("pickle stack underflow")),
            (latin1("h\u{05}."), .malformed("memo index 5 was never stored")),
            (latin1("X\u{FF}\u{FF}\u{FF}\u{FF}"), .truncated(needed: 4_294_967_295)),
            ([0xFF], .invalidOpcode(0xFF)),
            (latin1("\u{80}\u{09}."), .unsupported("pickle protocol 9")),
            (latin1("K\u{01}K\u{02}."), .malformed("1 value(s) left on the stack at STOP")),
            (latin1("]q\u{00}h\u{00}a."), .unsupported("a container that contains itself")),
            (latin1("]]a\u{8F}(]]u."), .malformed("SETITEM on a non-dict")),
            (latin1("}]K\u{01}s."), .malformed("unhashable dict key (a mutable container)")),
            (latin1("K\u{01}"), .truncated(needed: 1)),
        ]
        for (bytes, reason) in cases {
            let error = modelIOError { _ = try Unpickler().load(bytes) }
            #expect(error?.reason == reason, "\(bytes)")
        }
    }

    /// 200 000 nested lists: refused for nesting, and freed without deep recursion.
    @Test func deepNestingIsRefusedWithoutRecursion() {
        let depth = 200_000
        let bytes = [UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth - 1) + [0x2E]
        let error = modelIOError { _ = try Unpickler().load(bytes) }
        #expect(error?.reason == .limitExceeded("containers nested deeper than 200"))
    }

    /// Repeated keys replace values in constant time (a hash index, not a scan).
    @Test func manyDictItemsStayLinear() throws {
        var bytes: [UInt8] = latin1("}(")
        for index in 0..<100_000 {
            bytes += [0x4A] + NumPyArrayData.littleEndianBytes([Int32(index % 1000)]) + latin1("N")
        }
        bytes += latin1("u.")
        let value = try Unpickler().load(bytes)
        #expect(value.entries?.count == 1000)
    }

    @Test func limitsAreEnforced() {
        var limits = Unpickler.Limits()
        limits.maximumStackDepth = 10
        let error = modelIOError { _ = try Unpickler(limits: limits).load([UInt8](repeating: 0x4E, count: 11) + [0x2E]) }
        #expect(error?.reason == .limitExceeded("pickle stack deeper than 10"))
        let digits = modelIOError { _ = try Unpickler().load(latin1("L" + String(repeating: "9", count: 5000) + "\n.")) }
        #expect(digits?.reason == .limitExceeded("integer of 5000 digits (at most 4300)"))
    }

    /// A tensor whose view reaches past its storage is refused before any element is read.
    @Test func tensorViewOutsideStorage() {
        let storage = ByteStorage(copying: [UInt8](repeating: 0, count: 8)).slice
        let unpickler = Unpickler { _ in storage }
        var bytes = latin1("\u{80}\u{02}ctorch._utils\n_rebuild_tensor_v2\n(")
        bytes += latin1("(U\u{07}storagectorch\nFloatStorage\nU\u{01}0U\u{03}cpuK\u{02}tQ")
        bytes += latin1("K\u{00}K\u{64}\u{85}K\u{01}\u{85}\u{89}NtR.")
        let error = modelIOError { _ = try unpickler.load(ByteStorage(copying: bytes).slice) }
        #expect(error?.reason == .malformed("view of shape [100], strides [1], offset 0 reaches element 99 of a storage of 2"))
    }
}

@Suite struct NumPyFunctionTests {
    /// `numpy.array(numpy.reshape(numpy.frombuffer(bytes, '<f4'), (2, 3)))`, the form the
    /// exporter's output.pkl uses for each array.
    @Test func frombufferReshapeArray() throws {
        let floats: [Float] = [1, -2, 3.5, 0, 1e-3, 7]
        var bytes = latin1("\u{80}\u{03}cnumpy\narray\ncnumpy\nreshape\ncnumpy\nfrombuffer\nB") + NumPyArrayData.littleEndianBytes([UInt32(24)])
        bytes += NumPyArrayData.littleEndianBytes(floats.map(\.bitPattern))
        bytes += latin1("X") + NumPyArrayData.littleEndianBytes([UInt32(3)]) + latin1("<f4\u{86}R(J") + NumPyArrayData.littleEndianBytes([Int32(2)])
        bytes += latin1("J") + NumPyArrayData.littleEndianBytes([Int32(-1)]) + latin1("t\u{86}R\u{85}R.")
        let array = try #require(try Unpickler().load(bytes).array)
        #expect(array.dtype == .float32 && array.shape == [2, 3])
        #expect(try array.floats() == floats)
    }

    @Test func arrayOfNestedLists() throws {
        let ints = try #require(try Unpickler().load(latin1("cnumpy\narray\n(((lI1\naI2\na(lI3\naI4\nattR.")).array)
        #expect(ints.dtype == .int64 && ints.shape == [2, 2])
        #expect(try ints.int64s() == [1, 2, 3, 4])
        let mixed = try #require(try Unpickler().load(latin1("cnumpy\narray\n(((lI1\naF2.5\nattR.")).array)
        #expect(mixed.dtype == .float64 && mixed.shape == [1, 2])
        #expect(try mixed.doubles() == [1, 2.5])
        let ragged = modelIOError { _ = try Unpickler().load(latin1("cnumpy\narray\n(((lI1\na(lI2\naI3\nattR.")) }
        #expect(ragged?.reason == .malformed("numpy.array of a ragged list"))
    }
}
