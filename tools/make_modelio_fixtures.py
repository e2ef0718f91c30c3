#!/usr/bin/env python3
"""Generates the ModelIO test fixtures and checks the Swift writers' output with PyTorch/NumPy.

    /tmp/torchvenv/bin/python tools/make_modelio_fixtures.py            # fixtures + expectations
    /tmp/torchvenv/bin/python tools/make_modelio_fixtures.py --check-writers
        # loads Tests/ModelIOTests/Fixtures/written/* (bytes the Swift writers produce, pinned by
        # the tests) with torch.load / numpy.load / pickle.load, compares every value, and records
        # the result in written/python_check.json
    /tmp/torchvenv/bin/python tools/make_modelio_fixtures.py --bench-checkpoint PATH
        # writes a full-size PyMAF-shaped random checkpoint (every key and shape of the manifest)

Everything is random content with real structure; nothing here is SMPL or PyMAF data.
Needs torch, numpy, scipy.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile

import numpy as np
import scipy.sparse as sp
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ModelIOTests", "Fixtures")
MANIFEST = os.path.join(ROOT, "..", "shared", "reference", "pymaf_state_dict_manifest.txt")
HOSTILE_MARKER = "/tmp/modelio_hostile_pickle_ran"


def tensor_record(t):
    """Everything the Swift reader must reproduce about one tensor."""
    values = t.detach().to(torch.float64).reshape(-1).tolist() if t.dtype != torch.bool else [float(v) for v in t.reshape(-1).tolist()]
    return {
        "dtype": {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
                  torch.float64: "float64", torch.int64: "int64", torch.int32: "int32",
                  torch.uint8: "uint8", torch.bool: "bool"}[t.dtype],
        "shape": list(t.shape),
        "strides": list(t.stride()),
        "storage_offset": t.storage_offset(),
        "values": values,
    }


def tiny_checkpoint():
    gen = torch.Generator().manual_seed(3)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, bias=False), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(4, 2))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
        model[1].running_mean.copy_(torch.randn(4, generator=gen))
        model[1].running_var.copy_(torch.rand(4, generator=gen) + 0.5)
        model[1].num_batches_tracked.fill_(12)
    state = model.state_dict()
    base = torch.randn(4, 6, generator=gen)
    extra = collections.OrderedDict()
    extra["every.float32"] = torch.randn(2, 3, generator=gen)
    extra["every.float16"] = torch.tensor([0.5, -2.25, 65504.0, 6.1e-5, 1e-7], dtype=torch.float16)
    extra["every.bfloat16"] = torch.tensor([1.5, -3.0, 1e30, 7e-3], dtype=torch.bfloat16)
    extra["every.float64"] = torch.randn(3, generator=gen, dtype=torch.float64)
    extra["every.int64"] = torch.tensor([[-(2**40), 0, 7]], dtype=torch.int64)
    extra["every.int32"] = torch.tensor([-5, 2**31 - 1], dtype=torch.int32)
    extra["every.uint8"] = torch.tensor([0, 128, 255], dtype=torch.uint8)
    extra["every.bool"] = torch.tensor([True, False, True])
    extra["view.base"] = base
    extra["view.transposed"] = base.t()                 # non-contiguous, shares the storage
    extra["view.sliced"] = base[1:, ::2]                # storage offset 6, strides (6, 2)
    extra["scalar"] = torch.tensor(2.5)
    for k, v in extra.items():
        state[k] = v
    return state


def save_checkpoints():
    state = tiny_checkpoint()
    blob = {"model": state, "epoch": 7, "name": "tiny", "lr": 0.5,
            "misc": [1, 2.5, "x", None, True, (3, 4)], "big": 2**70}
    torch.save(blob, os.path.join(FIXTURES, "tiny_zip.pt"))
    torch.save(blob, os.path.join(FIXTURES, "tiny_legacy.pt"), _use_new_zipfile_serialization=False)
    expected = {"keys": list(state.keys()), "tensors": {k: tensor_record(v) for k, v in state.items()},
                "epoch": 7, "name": "tiny", "lr": 0.5}
    # Both files must load back in PyTorch to exactly these values.
    for name in ("tiny_zip.pt", "tiny_legacy.pt"):
        loaded = torch.load(os.path.join(FIXTURES, name), weights_only=False)
        assert list(loaded["model"].keys()) == expected["keys"]
        for k, v in loaded["model"].items():
            assert tensor_record(v) == expected["tensors"][k], (name, k)
    with open(os.path.join(FIXTURES, "tiny_checkpoint_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


# --- A stand-in for chumpy's Ch, pickled under the name chumpy.ch.Ch -------------------------

chumpy = types.ModuleType("chumpy")
chumpy_ch = types.ModuleType("chumpy.ch")


class Ch(object):
    """Holds its array in `x`, with a few of chumpy's bookkeeping members beside it."""

    def __init__(self, x):
        self.x = x
        self._dirty_vars = set()
        self._itr = None
        self._parents = {}


Ch.__module__ = "chumpy.ch"
chumpy_ch.Ch = Ch
chumpy.ch = chumpy_ch
sys.modules["chumpy"] = chumpy
sys.modules["chumpy.ch"] = chumpy_ch


class Python2Pickler(pickle._Pickler):
    """Writes str and bytes as Python 2 `str` (SHORT_BINSTRING / BINSTRING), like SMPL's pkl."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_string(self, obj):
        data = obj if isinstance(obj, bytes) else obj.encode("latin1")
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[bytes] = save_py2_string
    dispatch[str] = save_py2_string


def python2_pickle(obj):
    buffer = io.BytesIO()
    Python2Pickler(buffer, protocol=2).dump(obj)
    data = buffer.getvalue()
    # The module names Python 2 era NumPy and SciPy used.
    data = data.replace(b"cnumpy._core.multiarray\n", b"cnumpy.core.multiarray\n")
    data = data.replace(b"cscipy.sparse._csc\n", b"cscipy.sparse.csc\n")
    return data


def save_smpl():
    rng = np.random.default_rng(11)
    V, F, B = 24, 16, 10
    j_dense = rng.random((24, V)) * (rng.random((24, V)) < 0.2)
    j_dense[np.arange(24), np.arange(24)] = 0.5   # every joint has weights
    kintree = np.array([[4294967295, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21],
                        list(range(24))], dtype=np.int64)
    data = {
        "v_template": rng.standard_normal((V, 3)),
        "shapedirs": Ch(rng.standard_normal((V, 3, B))),
        "posedirs": rng.standard_normal((V, 3, 207)),
        "J_regressor": sp.csc_matrix(j_dense),
        "weights": rng.random((V, 24)),
        "kintree_table": kintree,
        "f": rng.integers(0, V, size=(F, 3)).astype(np.uint32),
        "J": Ch(rng.standard_normal((24, 3))),
        "bs_style": "lbs",
        "bs_type": "lrotmin",
        "vert_sym_idxs": rng.integers(0, V, size=V),
        "weights_prior": rng.random((V, 24)),
    }
    blob = python2_pickle(data)
    with open(os.path.join(FIXTURES, "smpl_synthetic.pkl"), "wb") as f:
        f.write(blob)
    loaded = pickle.loads(blob, encoding="latin1")
    assert np.array_equal(loaded["shapedirs"].x, data["shapedirs"].x)
    assert (loaded["J_regressor"] != data["J_regressor"]).nnz == 0
    expected = {
        "vertex_count": V, "face_count": F, "shape_count": B,
        "v_template": data["v_template"].reshape(-1).tolist(),
        "shapedirs": data["shapedirs"].x.reshape(-1).tolist(),
        "posedirs": data["posedirs"].reshape(-1).tolist(),
        "j_regressor": j_dense.reshape(-1).tolist(),
        "weights": data["weights"].reshape(-1).tolist(),
        "parents": [-1] + kintree[0, 1:].tolist(),
        "faces": data["f"].reshape(-1).tolist(),
    }
    with open(os.path.join(FIXTURES, "smpl_synthetic_expected.json"), "w") as f:
        json.dump(expected, f)


def save_npz():
    rng = np.random.default_rng(5)

    def sparse(rows, cols, density, kind):
        dense = rng.random((rows, cols)) * (rng.random((rows, cols)) < density)
        return {"csc": sp.csc_matrix, "csr": sp.csr_matrix, "coo": sp.coo_matrix}[kind](dense), dense

    def objects(items):
        array = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            array[i] = item
        return array

    d0, d0_dense = sparse(12, 40, 0.1, "csc")
    d1, d1_dense = sparse(6, 12, 0.2, "csc")
    u0, u0_dense = sparse(40, 12, 0.1, "csr")
    a0, a0_dense = sparse(40, 40, 0.05, "coo")
    np.savez(os.path.join(FIXTURES, "downsampling_synthetic.npz"),
             A=objects([a0]), U=objects([u0]), D=objects([d0, d1]))
    mean_pose = rng.standard_normal(144)
    numbers = {"pose": mean_pose, "shape": rng.standard_normal(10).astype(np.float32),
               "cam": np.array([0.9, 0.0, 0.0]), "indices": np.arange(21, dtype=np.int64),
               "grid": rng.standard_normal((3, 4)).astype(np.float32).T}  # Fortran-ordered
    np.savez_compressed(os.path.join(FIXTURES, "numbers_deflated.npz"), **numbers)
    np.save(os.path.join(FIXTURES, "big_endian.npy"), np.arange(6, dtype=">f8").reshape(2, 3))
    expected = {
        "sparse": {"A0": a0_dense.reshape(-1).tolist(), "U0": u0_dense.reshape(-1).tolist(),
                   "D0": d0_dense.reshape(-1).tolist(), "D1": d1_dense.reshape(-1).tolist()},
        "sparse_shapes": {"A0": [40, 40], "U0": [40, 12], "D0": [12, 40], "D1": [6, 12]},
        "numbers": {k: np.asarray(v, dtype=np.float64).reshape(-1).tolist() for k, v in numbers.items()},
        "number_shapes": {k: list(np.shape(v)) for k, v in numbers.items()},
    }
    with open(os.path.join(FIXTURES, "npz_expected.json"), "w") as f:
        json.dump(expected, f)


class Hostile(object):
    def __reduce__(self):
        return (os.system, ("touch " + HOSTILE_MARKER,))


def save_hostile():
    # Written as Python 2 would: GLOBAL 'os system' (Python 3 itself names posix.system).
    blob = pickle.dumps({"weights": [1, 2], "payload": Hostile()}, protocol=2)
    blob = blob.replace(b"cposix\nsystem\n", b"cos\nsystem\n")
    assert b"cos\nsystem\n" in blob
    with open(os.path.join(FIXTURES, "hostile_os_system.pkl"), "wb") as f:
        f.write(blob)
    # The same payload inside a zip checkpoint's data.pkl, reached through STACK_GLOBAL (protocol 4).
    path = os.path.join(FIXTURES, "hostile_checkpoint.pt")
    torch.save({"model": collections.OrderedDict(w=torch.zeros(2)), "payload": Hostile()}, path,
               pickle_protocol=4)
    if os.path.exists(HOSTILE_MARKER):
        os.remove(HOSTILE_MARKER)


# --- One object pickled with every protocol, and its canonical rendering ----------------------

def canonical(value):
    """The text the Swift tests render for the same value (see PickleProtocolTests)."""
    if value is None:
        return "None"
    if value is True or value is False:
        return str(value)
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return str(value)
        length = (value.bit_length() + 8) // 8
        return "long:" + value.to_bytes(length, "little", signed=True).hex()
    if isinstance(value, float):
        return "float:" + struct.pack("<d", value).hex()
    if isinstance(value, str):
        return "str:" + value.encode("utf-8").hex()
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + bytes(value).hex()
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ",".join(canonical(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return "set{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(v) for k, v in value.items()) + "}"
    raise TypeError(type(value))


def protocol_sample():
    shared = [1, 2]
    return collections.OrderedDict([
        ("none", None), ("flags", (True, False)),
        ("ints", [0, 1, 255, 256, 65535, 65536, -1, -129, 2**31 - 1, -(2**31), 2**31, 2**63 - 1, -(2**63), 2**64, -(2**70), 3**100]),
        ("floats", [0.0, -0.0, 0.1, 2.5, -1e300, 1e-310, float("inf")]),
        ("text", ["", "ascii", "caf\u00e9 \u2603 \U0001F600", "quote ' and \" and \\ and \n", "x" * 300]),
        ("bytes", [b"", b"\x00\xff\x80abc", bytes(range(256)) * 2]),
        ("bytearray", bytearray(b"\x01\x02\xfe")),
        ("tuples", [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4, 5)]),
        ("sets", [set(), {1, 2, 3}, frozenset(["a", "b"])]),
        ("shared", [shared, shared]),
        ("nested", {"a": {"b": {"c": [[], {}]}}, 7: "int key", (1, "t"): "tuple key"}),
        ("many", list(range(2500))),
        ("dict_many", {i: i * i for i in range(1100)}),
    ])


def save_protocols():
    folder = os.path.join(FIXTURES, "protocols")
    os.makedirs(folder, exist_ok=True)
    sample = protocol_sample()
    for protocol in range(0, 6):
        data = pickle.dumps(sample, protocol=protocol)
        assert canonical(pickle.loads(data)) == canonical(sample)
        with open(os.path.join(folder, "sample_p%d.pkl" % protocol), "wb") as f:
            f.write(data)
    with open(os.path.join(folder, "sample_expected.txt"), "w") as f:
        f.write(canonical(sample) + "\n")
    # Small seeds for the mutation fuzzer: the same constructs without the long runs.
    small = collections.OrderedDict((k, v) for k, v in sample.items() if k not in ("many", "dict_many"))
    small["text"] = small["text"][:4]
    small["bytes"] = small["bytes"][:2]
    for protocol in range(0, 6):
        with open(os.path.join(folder, "fuzz_seed_p%d.pkl" % protocol), "wb") as f:
            f.write(pickle.dumps(small, protocol=protocol))


def check_writers():
    """Loads the files the Swift writers produced (pinned byte for byte by the tests)."""
    folder = os.path.join(FIXTURES, "written")
    with open(os.path.join(folder, "expected.json")) as f:
        expected = json.load(f)
    tensors = expected["tensors"]
    arrays = expected["arrays"]
    report = {"torch": torch.__version__, "numpy": np.__version__, "files": {}}
    for name, wrapped in (("state_zip.pt", True), ("state_legacy.pt", False)):
        loaded = torch.load(os.path.join(folder, name), weights_only=True)
        state = loaded["model"] if wrapped else loaded
        assert list(state.keys()) == [t["key"] for t in tensors], name
        for record in tensors:
            t = state[record["key"]]
            assert list(t.shape) == record["shape"], (name, record["key"])
            assert str(t.dtype) == "torch." + record["dtype"], (name, record["key"])
            assert [float(v) for v in t.reshape(-1).tolist()] == record["values"], (name, record["key"])
        report["files"][name] = "torch.load(weights_only=True): %d tensors, every value equal" % len(state)

    def check_array(a, record, where):
        assert isinstance(a, np.ndarray), where
        assert str(a.dtype) == record["dtype"] and list(a.shape) == record["shape"], where
        assert [float(v) for v in a.reshape(-1).tolist()] == record["values"], where

    for name in ("arrays_stored.npz", "arrays_deflated.npz"):
        with np.load(os.path.join(folder, name)) as archive:
            assert list(archive.keys()) == [a["name"] for a in arrays], name
            for record in arrays:
                check_array(archive[record["name"]], record, (name, record["name"]))
        report["files"][name] = "numpy.load: %d arrays, every value equal" % len(arrays)
    check_array(np.load(os.path.join(folder, "single.npy")), arrays[0], "single.npy")
    report["files"]["single.npy"] = "numpy.load: equal"
    for name in ("output_p2.pkl", "output_p4.pkl"):
        with open(os.path.join(folder, name), "rb") as f:
            value = pickle.load(f)
        assert value["name"] == "runner" and value["count"] == 3 and value["none"] is None
        assert value["flag"] is True and value["ratio"] == 0.25 and value["tuple"] == (1, "two", 3.0)
        assert value["bytes"] == bytes(range(0, 256, 15))
        assert value["big"] == -(2**40)
        assert list(value["ordered"].items()) == [("z", 1), ("a", 2)]
        assert type(value["ordered"]) is collections.OrderedDict
        for record in arrays:
            check_array(value["arrays"][record["name"]], record, (name, record["name"]))
        report["files"][name] = "pickle.load: dict with numpy arrays, every value equal"
    with open(os.path.join(folder, "python_check.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(report, indent=1, sort_keys=True))


def bench_checkpoint(path):
    """A checkpoint with every key, shape and dtype of PyMAF's state dict, random values."""
    gen = torch.Generator().manual_seed(0)
    state = collections.OrderedDict()
    with open(MANIFEST) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            key, shape, dtype = line.rstrip("\n").split("\t")
            dims = [int(d) for d in shape.strip("()").split(",") if d.strip()]
            if dtype == "float32":
                state[key] = torch.randn(dims, generator=gen)
            else:
                state[key] = torch.randint(0, 100, dims, generator=gen, dtype=getattr(torch, dtype))
    torch.save({"model": state}, path)
    print("wrote %s: %d tensors, %d bytes" % (path, len(state), os.path.getsize(path)))


def main():
    if "--check-writers" in sys.argv:
        check_writers()
        return
    if "--bench-checkpoint" in sys.argv:
        bench_checkpoint(sys.argv[sys.argv.index("--bench-checkpoint") + 1])
        return
    os.makedirs(FIXTURES, exist_ok=True)
    save_checkpoints()
    save_smpl()
    save_npz()
    save_hostile()
    save_protocols()
    print("fixtures written to", FIXTURES)


if __name__ == "__main__":
    main()
