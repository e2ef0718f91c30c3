/// The pickle virtual machine behind `Unpickler`: a stack, a mark stack and a memo, driven by
/// one opcode at a time. No opcode calls out of this file except through the allow-list.
final class PickleMachine {
    var reader: ByteReader
    let limits: Unpickler.Limits
    let storageResolver: ((Unpickler.StorageRequest) throws -> ByteSlice)?
    var stack: [PickleObject] = []
    var marks: [Int] = []
    var memo: [Int: PickleObject] = [:]
    /// Every object made, so that `releaseObjects` can free deep graphs without recursion.
    var arena: [PickleObject] = []
    /// Offset of the opcode being executed (for errors).
    var opcodeOffset = 0

    init(bytes: ByteSlice, limits: Unpickler.Limits, storageResolver: ((Unpickler.StorageRequest) throws -> ByteSlice)?) {
        self.reader = ByteReader(bytes)
        self.limits = limits
        self.storageResolver = storageResolver
    }

    /// Breaks every reference between objects so that freeing them never recurses deeply.
    func releaseObjects() {
        for object in arena {
            object.kind = .value(.none)
            object.converted = nil
        }
        arena.removeAll()
        stack.removeAll()
        memo.removeAll()
    }

    func make(_ kind: PickleObject.Kind) -> PickleObject {
        let object = PickleObject(kind)
        arena.append(object)
        return object
    }

    func fail(_ reason: ModelIOError.Reason) -> ModelIOError {
        ModelIOError(reason, offset: reader.bytes.offset + opcodeOffset)
    }

    func push(_ object: PickleObject) throws {
        guard stack.count < limits.maximumStackDepth else {
            throw fail(.limitExceeded("pickle stack deeper than \(limits.maximumStackDepth)"))
        }
        stack.append(object)
    }

    func push(_ value: PickleValue) throws {
        try push(make(.value(value)))
    }

    func pop() throws -> PickleObject {
        guard let top = stack.last, stack.count > (marks.last ?? 0) else {
            throw fail(.malformed("pickle stack underflow"))
        }
        stack.removeLast()
        return top
    }

    func top() throws -> PickleObject {
        guard let top = stack.last, stack.count > (marks.last ?? 0) else {
            throw fail(.malformed("pickle stack underflow"))
        }
        return top
    }

    /// Removes and returns everything above the latest mark, and the mark itself.
    func popMark() throws -> [PickleObject] {
        guard let mark = marks.popLast() else { throw fail(.malformed("no MARK on the pickle stack")) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    func memoize(_ index: Int, _ object: PickleObject) throws {
        guard index >= 0 else { throw fail(.malformed("negative memo index \(index)")) }
        guard memo[index] != nil || memo.count < limits.maximumMemoEntries else {
            throw fail(.limitExceeded("more than \(limits.maximumMemoEntries) memo entries"))
        }
        memo[index] = object
    }

    func recall(_ index: Int) throws -> PickleObject {
        guard let object = memo[index] else { throw fail(.malformed("memo index \(index) was never stored")) }
        return object
    }

    func run() throws -> (value: PickleValue, length: Int) {
        while true {
            opcodeOffset = reader.position
            let code = try reader.uint8()
            if code == 0x2E {  // STOP
                let result = try pop()
                guard stack.isEmpty, marks.isEmpty else {
                    throw fail(.malformed("\(stack.count) value(s) left on the stack at STOP"))
                }
                return (try convert(result, depth: 0), reader.position)
            }
            try execute(code)
        }
    }

    func execute(_ code: UInt8) throws {
        switch code {
        // Framing and protocol.
        case 0x80:  // PROTO
            let version = try reader.uint8()
            guard version <= 5 else { throw fail(.unsupported("pickle protocol \(version)")) }
        case 0x95:  // FRAME
            let length = try reader.length64()
            _ = length  // Frames only group opcodes; the whole input is already addressable.

        // Stack and marks.
        case 0x28:  // MARK
            guard marks.count < limits.maximumStackDepth else { throw fail(.limitExceeded("too many MARKs")) }
            marks.append(stack.count)
        case 0x30:  // POP
            if let mark = marks.last, mark == stack.count {
                marks.removeLast()
            } else {
                _ = try pop()
            }
        case 0x31:  // POP_MARK
            _ = try popMark()
        case 0x32:  // DUP
            try push(try top())

        // Constants and numbers.
        case 0x4E: try push(.none)                 // NONE
        case 0x88: try push(.bool(true))           // NEWTRUE
        case 0x89: try push(.bool(false))          // NEWFALSE
        case 0x4B: try push(.int(Int64(try reader.uint8())))                  // BININT1
        case 0x4D: try push(.int(Int64(try reader.uint16())))                 // BININT2
        case 0x4A: try push(.int(Int64(try reader.int32())))                  // BININT
        case 0x47: try push(.float(Double(bitPattern: try reader.uint64().byteSwapped)))  // BINFLOAT (big-endian)
        case 0x8A:  // LONG1
            let length = Int(try reader.uint8())
            try push(integer(fromLittleEndian: try reader.bytes(length)))
        case 0x8B:  // LONG4
            let length = Int(try reader.int32())
            guard length >= 0 else { throw fail(.malformed("negative LONG4 length")) }
            try push(integer(fromLittleEndian: try reader.bytes(length)))
        case 0x49: try push(try textInteger(try reader.line(), allowBoolean: true))   // INT
        case 0x4C: try push(try textInteger(try reader.line(), allowBoolean: false))  // LONG
        case 0x46:  // FLOAT
            let line = try reader.line()
            guard let value = Double(String(decoding: line, as: UTF8.self).trimmingSpaces) else {
                throw fail(.malformed("FLOAT is not a number"))
            }
            try push(.float(value))

        // Strings.
        case 0x53: try push(python2String(try unescapeQuoted(try reader.line())))   // STRING
        case 0x54:  // BINSTRING
            let length = Int(try reader.int32())
            guard length >= 0 else { throw fail(.malformed("negative BINSTRING length")) }
            try push(python2String(try reader.slice(length)))
        case 0x55: try push(python2String(try reader.slice(Int(try reader.uint8()))))  // SHORT_BINSTRING
        case 0x56: try push(.string(try rawUnicodeEscape(try reader.line())))          // UNICODE
        case 0x58: try push(.string(try utf8(try reader.bytes(Int(try reader.uint32())))))  // BINUNICODE
        case 0x8C: try push(.string(try utf8(try reader.bytes(Int(try reader.uint8())))))   // SHORT_BINUNICODE
        case 0x8D: try push(.string(try utf8(try reader.bytes(try reader.length64()))))     // BINUNICODE8
        case 0x42: try push(.bytes(try reader.slice(Int(try reader.uint32()))))  // BINBYTES
        case 0x43: try push(.bytes(try reader.slice(Int(try reader.uint8()))))   // SHORT_BINBYTES
        case 0x8E: try push(.bytes(try reader.slice(try reader.length64())))     // BINBYTES8
        case 0x96: try push(.bytes(try reader.slice(try reader.length64())))     // BYTEARRAY8
        case 0x97: throw fail(.unsupported("out-of-band buffers (NEXT_BUFFER)"))
        case 0x98: _ = try top()  // READONLY_BUFFER: the buffer is already immutable

        // Containers.
        case 0x5D: try push(make(.list([])))        // EMPTY_LIST
        case 0x29: try push(make(.tuple([])))       // EMPTY_TUPLE
        case 0x7D: try push(make(.dict(PickleDict())))  // EMPTY_DICT
        case 0x8F: try push(make(.set([])))         // EMPTY_SET
        case 0x6C: try push(make(.list(try popMark())))   // LIST
        case 0x74: try push(make(.tuple(try popMark())))  // TUPLE
        case 0x85:  // TUPLE1
            let a = try pop()
            try push(make(.tuple([a])))
        case 0x86:  // TUPLE2
            let b = try pop(), a = try pop()
            try push(make(.tuple([a, b])))
        case 0x87:  // TUPLE3
            let c = try pop(), b = try pop(), a = try pop()
            try push(make(.tuple([a, b, c])))
        case 0x91: try push(make(.set(try popMark())))    // FROZENSET
        case 0x64:  // DICT
            let items = try popMark()
            try push(make(.dict(try pairs(items))))
        case 0x61:  // APPEND
            let item = try pop()
            try append([item], to: try top())
        case 0x65:  // APPENDS
            let items = try popMark()
            try append(items, to: try top())
        case 0x73:  // SETITEM
            let value = try pop(), key = try pop()
            try setItems([key, value], in: try top())
        case 0x75:  // SETITEMS
            let items = try popMark()
            try setItems(items, in: try top())
        case 0x90:  // ADDITEMS
            let items = try popMark()
            let target = try top()
            guard case .set(var members) = target.kind else { throw fail(.malformed("ADDITEMS on a non-set")) }
            target.kind = .value(.none)
            members.append(contentsOf: items)
            target.kind = .set(members)
            target.converted = nil

        // Memo.
        case 0x70: try memoize(try textIndex(try reader.line()), try top())      // PUT
        case 0x71: try memoize(Int(try reader.uint8()), try top())               // BINPUT
        case 0x72: try memoize(Int(try reader.uint32()), try top())              // LONG_BINPUT
        case 0x94: try memoize(memo.count, try top())                            // MEMOIZE
        case 0x67: try push(try recall(try textIndex(try reader.line())))       // GET
        case 0x68: try push(try recall(Int(try reader.uint8())))                // BINGET
        case 0x6A: try push(try recall(Int(try reader.uint32())))               // LONG_BINGET

        // Globals and object construction (see PickleMachine+Globals.swift).
        case 0x63:  // GLOBAL
            let module = try asciiLine(try reader.line())
            let name = try asciiLine(try reader.line())
            try push(make(.global(try resolveGlobal(module: module, name: name))))
        case 0x93:  // STACK_GLOBAL
            let name = try pop(), module = try pop()
            guard case .value(.string(let nameText)) = name.kind, case .value(.string(let moduleText)) = module.kind else {
                throw fail(.malformed("STACK_GLOBAL needs two strings"))
            }
            try push(make(.global(try resolveGlobal(module: moduleText, name: nameText))))
        case 0x82, 0x83, 0x84:  // EXT1, EXT2, EXT4
            let codeValue: Int = switch code {
            case 0x82: Int(try reader.uint8())
            case 0x83: Int(try reader.uint16())
            default: Int(try reader.int32())
            }
            throw fail(.unknownGlobal("copyreg extension code \(codeValue)"))
        case 0x52:  // REDUCE
            let arguments = try pop(), callable = try pop()
            try push(try reduce(callable, arguments))
        case 0x81:  // NEWOBJ
            let arguments = try pop(), type = try pop()
            try push(try instantiate(type, arguments))
        case 0x92:  // NEWOBJ_EX
            let keywords = try pop(), arguments = try pop(), type = try pop()
            guard case .dict(let dict) = keywords.kind, dict.keys.isEmpty else {
                throw fail(.unsupported("NEWOBJ_EX with keyword arguments"))
            }
            try push(try instantiate(type, arguments))
        case 0x6F:  // OBJ
            let items = try popMark()
            guard let type = items.first else { throw fail(.malformed("OBJ without a class")) }
            try push(try instantiate(type, make(.tuple(Array(items.dropFirst())))))
        case 0x69:  // INST
            let module = try asciiLine(try reader.line())
            let name = try asciiLine(try reader.line())
            let type = make(.global(try resolveGlobal(module: module, name: name)))
            try push(try instantiate(type, make(.tuple(try popMark()))))
        case 0x62:  // BUILD
            let state = try pop()
            try build(try top(), state: state)

        // Persistent ids (PyTorch storages).
        case 0x51:  // BINPERSID
            try push(try persistentLoad(try pop()))
        case 0x50:  // PERSID
            _ = try reader.line()
            throw fail(.unsupported("text persistent ids (PERSID)"))

        default:
            throw fail(.invalidOpcode(code))
        }
    }

    private func append(_ items: [PickleObject], to target: PickleObject) throws {
        guard case .list(var list) = target.kind else {
            throw fail(.malformed("APPEND to a non-list"))
        }
        target.kind = .value(.none)  // drop the reference so `list` is uniquely owned
        target.converted = nil
        list.append(contentsOf: items)
        target.kind = .list(list)
    }

    private func setItems(_ items: [PickleObject], in target: PickleObject) throws {
        guard items.count % 2 == 0 else { throw fail(.malformed("SETITEMS with an odd number of items")) }
        guard case .dict(var dict) = target.kind else { throw fail(.malformed("SETITEM on a non-dict")) }
        target.kind = .value(.none)
        target.converted = nil
        defer { target.kind = .dict(dict) }
        for pair in stride(from: 0, to: items.count, by: 2) {
            try dict.set(items[pair], items[pair + 1])
        }
    }

    private func pairs(_ items: [PickleObject]) throws -> PickleDict {
        guard items.count % 2 == 0 else { throw fail(.malformed("DICT with an odd number of items")) }
        var dict = PickleDict()
        for pair in stride(from: 0, to: items.count, by: 2) {
            try dict.set(items[pair], items[pair + 1])
        }
        return dict
    }

    func resolveGlobal(module: String, name: String) throws -> PickleGlobal {
        guard let global = PickleGlobal.lookUp(module: module, name: name) else {
            throw fail(.unknownGlobal("\(module).\(name)"))
        }
        return global
    }
}
