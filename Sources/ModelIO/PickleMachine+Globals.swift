/// What each allow-listed global does when a pickle calls it (`REDUCE`), instantiates it
/// (`NEWOBJ`, `OBJ`, `INST`) or sets its state (`BUILD`). Everything here is plain Swift that
/// builds values; no name from the input is ever looked up or executed.
extension PickleMachine {
    func reduce(_ callable: PickleObject, _ arguments: PickleObject) throws -> PickleObject {
        guard case .global(let global) = callable.kind else {
            throw fail(.malformed("REDUCE on a value that is not an allow-listed callable"))
        }
        guard case .tuple(let args) = arguments.kind else {
            throw fail(.malformed("REDUCE arguments to \(global.qualifiedName) are not a tuple"))
        }
        switch global {
        case .orderedDict:
            var dict = PickleDict()
            if let source = args.first {
                guard case .list(let pairs) = source.kind else { throw fail(.unsupported("OrderedDict from a non-list")) }
                for pair in pairs {
                    guard case .list(let items) = pair.kind, items.count == 2 else {
                        if case .tuple(let items) = pair.kind, items.count == 2 {
                            try dict.set(items[0], items[1]); continue
                        }
                        throw fail(.malformed("OrderedDict item is not a pair"))
                    }
                    try dict.set(items[0], items[1])
                }
            }
            return make(.dict(dict))
        case .builtinSet, .builtinFrozenSet:
            guard let source = args.first else { return make(.set([])) }
            switch source.kind {
            case .list(let items), .tuple(let items), .set(let items): return make(.set(items))
            default: throw fail(.malformed("set() of a non-sequence"))
            }
        case .builtinObject:
            return make(.plain(type: global.qualifiedName, state: nil))
        case .builtinByteArray, .builtinBytes:
            guard let source = args.first else { return make(.value(.bytes(ByteStorage(copying: []).slice))) }
            let value = try convert(source, depth: 1)
            if case .bytes = value { return make(.value(value)) }
            guard case .string(let text) = value else { throw fail(.malformed("bytearray() of \(value.kindName)")) }
            return make(.value(.bytes(try latin1Bytes(text))))
        case .rebuildTensor, .rebuildTensorV2:
            return make(.value(.tensor(try rebuildTensor(args, name: global.qualifiedName))))
        case .rebuildParameter:
            guard let data = args.first, case .value(.tensor) = data.kind else {
                throw fail(.malformed("_rebuild_parameter without a tensor"))
            }
            return data
        case .numpyReconstruct:
            guard args.count == 3, case .global(.numpyNDArray) = args[0].kind else {
                throw fail(.unsupported("numpy _reconstruct of a class other than numpy.ndarray"))
            }
            return make(.instance(.numpyNDArray))
        case .numpyDType:
            guard let code = args.first, let text = try convert(code, depth: 1).text else {
                throw fail(.malformed("numpy.dtype() without a type string"))
            }
            return make(.dtype(try annotate { try NumPyDType.parse(text) }))
        case .numpyScalar:
            guard args.count == 2, case .dtype(let dtype) = args[0].kind, let scalar = dtype.scalar else {
                throw fail(.malformed("numpy scalar without a numeric dtype"))
            }
            let bytes = try rawBytes(args[1], what: "numpy scalar")
            return make(.value(.array(try annotate {
                try NDArray(dtype: scalar, shape: [], isBigEndian: dtype.bigEndian, data: bytes)
            })))
        case .numpyFromBuffer:
            // frombuffer(buffer, dtype[, count[, offset]])
            guard args.count >= 2 else { throw fail(.malformed("numpy.frombuffer needs a buffer and a dtype")) }
            let dtype = try numpyDType(args[1])
            guard let scalar = dtype.scalar else { throw fail(.unsupported("numpy.frombuffer of objects")) }
            var bytes = try rawBytes(args[0], what: "numpy.frombuffer")
            let offset = args.count > 3 ? Int(try convert(args[3], depth: 1).intValue ?? 0) : 0
            guard offset >= 0, offset <= bytes.count else { throw fail(.malformed("numpy.frombuffer offset \(offset)")) }
            bytes = try bytes.slice(from: offset, count: bytes.count - offset)
            var count = bytes.count / scalar.byteWidth
            if args.count > 2, let requested = try convert(args[2], depth: 1).intValue, requested >= 0 {
                guard requested <= count else { throw fail(.malformed("numpy.frombuffer count \(requested) exceeds the buffer")) }
                count = Int(requested)
            }
            guard args.count > 2 || bytes.count % scalar.byteWidth == 0 else {
                throw fail(.malformed("numpy.frombuffer: \(bytes.count) bytes is not a multiple of \(scalar.byteWidth)"))
            }
            let data = try bytes.slice(from: 0, count: count * scalar.byteWidth)
            return make(.value(.array(try annotate {
                try NDArray(dtype: scalar, shape: [count], isBigEndian: dtype.bigEndian, data: data)
            })))
        case .numpyReshape:
            guard args.count >= 2, case .array(let array) = try convert(args[0], depth: 1) else {
                throw fail(.malformed("numpy.reshape needs an array and a shape"))
            }
            let shapeValue = try convert(args[1], depth: 1)
            let requested = try (shapeValue.items ?? [shapeValue]).map { item -> Int in
                guard let size = item.intValue, let exact = Int(exactly: size) else { throw fail(.malformed("numpy.reshape shape holds a non-integer")) }
                return exact
            }
            return make(.value(.array(try annotate { try array.reshaped(requested) })))
        case .numpyArray:
            guard let source = args.first else { throw fail(.malformed("numpy.array without an argument")) }
            let value = try convert(source, depth: 1)
            if case .array = value { return make(.value(value)) }
            return make(.value(.array(try annotate { try NDArray(nestedNumbers: value) })))
        case .codecsEncode:
            guard args.count >= 1, case .value(.string(let text)) = args[0].kind else {
                throw fail(.malformed("_codecs.encode of a non-string"))
            }
            let encoding = args.count > 1 ? try convert(args[1], depth: 1).text?.lowercased() : "utf-8"
            switch encoding {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
                return make(.value(.bytes(try latin1Bytes(text))))
            case "utf-8", "utf8":
                return make(.value(.bytes(ByteStorage(copying: Array(text.utf8)).slice)))
            default:
                throw fail(.unsupported("_codecs.encode to \(encoding ?? "?")"))
            }
        case .copyregReconstructor:
            guard args.count == 3 else { throw fail(.malformed("copyreg._reconstructor needs 3 arguments")) }
            guard case .global(.builtinObject) = args[1].kind else {
                throw fail(.unsupported("copyreg._reconstructor with a base other than object"))
            }
            return try instantiate(args[0], make(.tuple([])))
        case .storageType, .numpyNDArray, .sparseMatrix, .chumpyCh:
            throw fail(.unsupported("calling \(global.qualifiedName) directly"))
        }
    }

    func instantiate(_ type: PickleObject, _ arguments: PickleObject) throws -> PickleObject {
        guard case .global(let global) = type.kind else {
            throw fail(.malformed("instantiating a value that is not an allow-listed class"))
        }
        switch global {
        case .numpyNDArray, .sparseMatrix, .chumpyCh:
            return make(.instance(global))
        case .builtinObject:
            return make(.plain(type: global.qualifiedName, state: nil))
        case .orderedDict:
            return make(.dict(PickleDict()))
        case .builtinSet, .builtinFrozenSet:
            return try reduce(type, arguments)
        default:
            throw fail(.unsupported("instantiating \(global.qualifiedName)"))
        }
    }

    func build(_ target: PickleObject, state: PickleObject) throws {
        target.converted = nil
        switch target.kind {
        case .instance(.numpyNDArray):
            target.kind = .value(.array(try ndarray(fromState: state)))
        case .instance(.sparseMatrix(let format)):
            target.kind = .value(.sparse(try sparseMatrix(format, state: try convert(state, depth: 1))))
        case .instance(.chumpyCh):
            let value = try convert(state, depth: 1)
            guard let x = value["x"] else { throw fail(.malformed("chumpy Ch state has no `x`")) }
            guard case .array = x else { throw fail(.malformed("chumpy Ch `x` is a \(x.kindName), not an array")) }
            target.kind = .value(x)
        case .dtype(var dtype):
            // State: (version, byte order, subarray, names, fields, elsize, alignment, flags).
            guard case .tuple(let items) = state.kind, items.count >= 2 else {
                throw fail(.malformed("numpy dtype state is not a tuple"))
            }
            if let order = try convert(items[1], depth: 1).text, dtype.scalar != nil, dtype.scalar!.byteWidth > 1 {
                if order == ">" { dtype.bigEndian = true }
                if order == "<" { dtype.bigEndian = false }
            }
            target.kind = .dtype(dtype)
        case .dict, .value(.tensor):
            break  // attributes of an OrderedDict (`_metadata`) or of a Parameter: not part of the value
        case .plain(let type, _):
            target.kind = .plain(type: type, state: state)
        default:
            throw fail(.malformed("BUILD on a value that takes no state"))
        }
    }

    func persistentLoad(_ pid: PickleObject) throws -> PickleObject {
        guard let storageResolver else {
            throw fail(.unsupported("persistent ids (this pickle refers to data outside itself)"))
        }
        guard case .tuple(let items) = pid.kind, items.count >= 5,
              try convert(items[0], depth: 1).text == "storage" else {
            throw fail(.malformed("persistent id is not ('storage', type, key, location, numel)"))
        }
        guard case .global(.storageType(let dtype)) = items[1].kind else {
            throw fail(.malformed("persistent id names no torch storage type"))
        }
        let key = try convert(items[2], depth: 1)
        guard let keyText = key.text ?? key.intValue.map({ String($0) }),
              let location = try convert(items[3], depth: 1).text,
              let count = try convert(items[4], depth: 1).intValue, count >= 0 else {
            throw fail(.malformed("persistent id fields have the wrong types"))
        }
        var request = Unpickler.StorageRequest(dtype: dtype, key: keyText, location: location,
                                               elementCount: Int(count), view: nil)
        if items.count > 5, case .tuple(let view) = items[5].kind {
            let viewValues = try view.map { try convert($0, depth: 1) }
            guard viewValues.count == 3, let viewKey = viewValues[0].text,
                  let offset = viewValues[1].intValue, let viewCount = viewValues[2].intValue,
                  offset >= 0, viewCount >= 0 else {
                throw fail(.malformed("storage view metadata is not (key, offset, size)"))
            }
            request.view = (viewKey, Int(offset), Int(viewCount))
        }
        let bytes = try annotate { try storageResolver(request) }
        return make(.storage(dtype: dtype, bytes: bytes))
    }

    // MARK: - Builders

    private func rebuildTensor(_ args: [PickleObject], name: String) throws -> StoredTensor {
        guard args.count >= 4, case .storage(let dtype, let bytes) = args[0].kind else {
            throw fail(.malformed("\(name) needs (storage, offset, size, stride, ...)"))
        }
        guard let offset = try convert(args[1], depth: 1).intValue else {
            throw fail(.malformed("\(name) storage offset is not an integer"))
        }
        let shape = try integers(args[2], what: "size")
        let strides = try integers(args[3], what: "stride")
        return try annotate {
            try StoredTensor(dtype: dtype, shape: shape, strides: strides, storageOffset: Int(offset), storage: bytes)
        }
    }

    private func integers(_ object: PickleObject, what: String) throws -> [Int] {
        let value = try convert(object, depth: 1)
        guard let items = value.items else { throw fail(.malformed("tensor \(what) is not a tuple")) }
        return try items.map { item in
            guard let number = item.intValue, let exact = Int(exactly: number) else {
                throw fail(.malformed("tensor \(what) holds a non-integer"))
            }
            return exact
        }
    }

    private func ndarray(fromState state: PickleObject) throws -> NDArray {
        guard case .tuple(var items) = state.kind else { throw fail(.malformed("ndarray state is not a tuple")) }
        if items.count == 5 { items.removeFirst() }  // version
        guard items.count == 4 else { throw fail(.malformed("ndarray state has \(items.count) fields")) }
        let shape = try integers(items[0], what: "shape")
        guard case .dtype(let dtype) = items[1].kind else { throw fail(.malformed("ndarray state has no dtype")) }
        let fortran = try convert(items[2], depth: 1).boolValue ?? false
        guard let scalar = dtype.scalar else {
            let contents = try convert(items[3], depth: 1)
            guard let objects = contents.items else { throw fail(.malformed("object array contents are not a list")) }
            return try annotate { try NDArray(objects: objects, shape: shape, fortranOrder: fortran) }
        }
        let bytes = try rawBytes(items[3], what: "ndarray")
        return try annotate {
            try NDArray(dtype: scalar, shape: shape, fortranOrder: fortran, isBigEndian: dtype.bigEndian, data: bytes)
        }
    }

    /// A dtype given as a `numpy.dtype` object or as a type string such as `<f4`.
    private func numpyDType(_ object: PickleObject) throws -> NumPyDType {
        if case .dtype(let dtype) = object.kind { return dtype }
        guard let text = try convert(object, depth: 1).text else { throw fail(.malformed("dtype is neither a numpy.dtype nor a string")) }
        return try annotate { try NumPyDType.parse(text) }
    }

    /// Raw element bytes: `bytes`, or a `str` holding them as latin1 (Python 2 pickles).
    private func rawBytes(_ object: PickleObject, what: String) throws -> ByteSlice {
        switch try convert(object, depth: 1) {
        case .bytes(let slice): return slice
        case .string(let text): return try latin1Bytes(text)
        case let other: throw fail(.malformed("\(what) data is a \(other.kindName), not bytes"))
        }
    }

    func latin1Bytes(_ text: String) throws -> ByteSlice {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { throw fail(.malformed("string has a character outside latin1")) }
            bytes.append(UInt8(scalar.value))
        }
        return ByteStorage(copying: bytes).slice
    }

    private func sparseMatrix(_ format: SparseMatrix.Format, state: PickleValue) throws -> SparseMatrix {
        guard let shapeValue = state["_shape"] ?? state["shape"], let dims = shapeValue.items, dims.count == 2,
              let rows = dims[0].intValue, let columns = dims[1].intValue,
              let rowCount = Int(exactly: rows), let columnCount = Int(exactly: columns) else {
            throw fail(.malformed("sparse matrix state has no 2-D `_shape`"))
        }
        func array(_ key: String) throws -> NDArray {
            guard let value = state[key], case .array(let array) = value else {
                throw fail(.malformed("\(format.rawValue) matrix state has no array `\(key)`"))
            }
            return array
        }
        return try annotate {
            let data = try array("data").doubles()
            if format == .coo {
                let row: [Int64], column: [Int64]
                if let coords = state["coords"]?.items, coords.count == 2,
                   case .array(let r) = coords[0], case .array(let c) = coords[1] {
                    row = try r.int64s()
                    column = try c.int64s()
                } else {
                    row = try array("row").int64s()
                    column = try array("col").int64s()
                }
                return try SparseMatrix(rows: rowCount, columns: columnCount, data: data, row: row, column: column)
            }
            return try SparseMatrix(format: format, rows: rowCount, columns: columnCount, data: data,
                                    indices: try array("indices").int64s(), indptr: try array("indptr").int64s())
        }
    }

    /// Gives errors thrown by builders the offset of the current opcode.
    func annotate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ModelIOError {
            if error.offset == nil { error.offset = reader.bytes.offset + opcodeOffset }
            throw error
        }
    }

    // MARK: - Conversion to PickleValue

    func convert(_ object: PickleObject, depth: Int) throws -> PickleValue {
        if let converted = object.converted { return converted }
        if case .value(let value) = object.kind { return value }
        guard depth <= limits.maximumNesting else {
            throw fail(.limitExceeded("containers nested deeper than \(limits.maximumNesting)"))
        }
        guard !object.isConverting else { throw fail(.unsupported("a container that contains itself")) }
        object.isConverting = true
        defer { object.isConverting = false }
        let value: PickleValue
        switch object.kind {
        case .value(let plain): value = plain
        case .list(let items): value = .list(try items.map { try convert($0, depth: depth + 1) })
        case .tuple(let items): value = .tuple(try items.map { try convert($0, depth: depth + 1) })
        case .set(let items): value = .set(try items.map { try convert($0, depth: depth + 1) })
        case .dict(let dict):
            var entries: [(key: PickleValue, value: PickleValue)] = []
            entries.reserveCapacity(dict.keys.count)
            for (key, item) in zip(dict.keys, dict.values) {
                entries.append((try convert(key, depth: depth + 1), try convert(item, depth: depth + 1)))
            }
            value = .dict(entries)
        case .global(let global): value = .global(global.qualifiedName)
        case .storage(let dtype, let bytes):
            let count = bytes.count / dtype.byteWidth
            value = .tensor(try StoredTensor(dtype: dtype, shape: [count], strides: [1], storageOffset: 0, storage: bytes))
        case .dtype(let dtype): value = .string(dtype.scalar.map { NumPyDType.descr($0) } ?? "|O")
        case .instance(let global): value = .object(type: global.qualifiedName, state: .none)
        case .plain(let type, let state):
            value = .object(type: type, state: try state.map { try convert($0, depth: depth + 1) } ?? .none)
        }
        object.converted = value
        return value
    }
}
