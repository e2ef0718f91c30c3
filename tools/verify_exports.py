#!/usr/bin/env python3
"""Loads pymaf-video's exports in real clients and compares them numerically with our own values.

Usage (see `make verify-exports`):
    python verify_exports.py FOLDER                 # bpy (Blender 5.0.1 as a module) + usd-core + numpy 2.x
    python verify_exports.py --pickle-only FOLDER   # output.pkl and .npz only (run under numpy 1.24)

FOLDER is written by `swift run -c release ExportVerify FOLDER`: every export format for a
synthetic SMPL-sized body, plus reference/<id>.json, <id>_lbs.f32 (our 4-influence linear blend
skinning of the exported pose, Y-up metres) and <id>_joints.f32 (world joint positions).

Tolerances (metres): skinned formats vs our LBS 1e-4 (float32 key storage and the clients'
float32 evaluation; measured errors are ~1e-6); exact vertex formats (PC2, OBJ at %.6f, USD
baked points) vs output verts + trans 2e-6; BVH joints 1e-4 (angles at 1e-6 degrees, positions
in centimetres with 6 decimals). Exits non-zero on the first failed check.
"""
import json
import os
import pickle
import struct
import sys

import numpy as np

FAILED = []


def check(name, ok, detail=""):
    print(f"{'OK  ' if ok else 'FAIL'} {name} {detail}")
    if not ok:
        FAILED.append(name)


def flip(points):
    """Camera frame (y down) -> Y-up: (x, y, z) -> (x, -y, -z)."""
    return points * np.array([1.0, -1.0, -1.0], dtype=points.dtype)


def blender_to_y_up(points):
    """Blender world (Z-up) -> glTF/SMPL Y-up: (x, y, z) -> (x, z, -y)."""
    return np.stack([points[:, 0], points[:, 2], -points[:, 1]], axis=1)


def load_reference(folder, track):
    name = f"{track:04d}"
    info = json.load(open(os.path.join(folder, "reference", f"{name}.json")))
    n, v = len(info["frame_ids"]), info["vertex_count"]
    lbs = np.fromfile(os.path.join(folder, "reference", f"{name}_lbs.f32"), dtype="<f4").reshape(n, v, 3)
    joints = np.fromfile(os.path.join(folder, "reference", f"{name}_joints.f32"), dtype="<f4").reshape(n, 24, 3)
    z = np.load(os.path.join(folder, "tracks", f"{name}.npz"), allow_pickle=False)
    exact = flip(z["verts"].astype(np.float64) + z["trans"].astype(np.float64)[:, None, :])
    return info, lbs, joints, exact


def tracks_in(folder):
    return sorted(int(f[:4]) for f in os.listdir(os.path.join(folder, "reference")) if f.endswith(".json"))


def verify_parameter_files(folder):
    import joblib

    with open(os.path.join(folder, "output.pkl"), "rb") as f:
        plain = pickle.load(f)
    with open(os.path.join(folder, "output.pkl"), "rb") as f:
        latin = pickle.load(f, encoding="latin1")
    loaded = joblib.load(os.path.join(folder, "output.pkl"))
    check(f"output.pkl loads with pickle and joblib (numpy {np.__version__})", set(plain) == set(loaded) == set(latin) == set(tracks_in(folder)))
    for track, record in loaded.items():
        z = np.load(os.path.join(folder, "tracks", f"{track:04d}.npz"), allow_pickle=False)
        n = len(record["frame_ids"])
        expected = {"pred_cam": (n, 3), "orig_cam": (n, 4), "verts": (n, z["verts"].shape[1], 3), "pose": (n, 72),
                    "betas": (n, 10), "joints3d": (n, 49, 3), "bboxes": (n, 4), "frame_ids": (n,)}
        shapes_ok = all(record[k].shape == s for k, s in expected.items()) and record["joints2d"] is None
        same = all(np.array_equal(record[k], z[k]) for k in expected)
        writeable = all(record[k].flags.writeable for k in expected)
        check(f"track {track}: pkl fields/shapes, equal to npz, writeable", shapes_ok and same and writeable)
        meta_ok = (z["fps"].shape == () and z["image_size"].tolist() == [1280, 720] and int(z["track_id"]) == track
                   and z["timestamps"].dtype == np.float64 and np.all(np.diff(z["timestamps"]) > 0))
        check(f"track {track}: npz metadata (fps, image_size, track_id, timestamps)", meta_ok)


def read_glb(path):
    data = open(path, "rb").read()
    magic, version, length = struct.unpack_from("<III", data, 0)
    json_len, json_type = struct.unpack_from("<II", data, 12)
    doc = json.loads(data[20:20 + json_len])
    bin_start = 20 + json_len
    bin_len, _ = struct.unpack_from("<II", data, bin_start)
    binary = data[bin_start + 8: bin_start + 8 + bin_len]
    check(f"{os.path.basename(path)}: header length = file size, chunks 4-aligned",
          magic == 0x46546C67 and version == 2 and length == len(data) and json_len % 4 == 0 and bin_len % 4 == 0)

    def accessor(i):
        a = doc["accessors"][i]
        view = doc["bufferViews"][a["bufferView"]]
        dtype = {5126: "<f4", 5125: "<u4", 5123: "<u2", 5121: "u1"}[a["componentType"]]
        width = {"SCALAR": 1, "VEC3": 3, "VEC4": 4, "MAT4": 16}[a["type"]]
        start = view["byteOffset"] + a.get("byteOffset", 0)
        return np.frombuffer(binary, dtype=dtype, count=a["count"] * width, offset=start).reshape(a["count"], width)

    prim = doc["meshes"][0]["primitives"][0]
    pos = accessor(prim["attributes"]["POSITION"])
    a = doc["accessors"][prim["attributes"]["POSITION"]]
    exact_minmax = a["min"] == [float(x) for x in pos.min(0)] and a["max"] == [float(x) for x in pos.max(0)]
    times_index = doc["animations"][0]["samplers"][0]["input"]
    times = accessor(times_index)[:, 0]
    t = doc["accessors"][times_index]
    exact_minmax &= t["min"] == [float(times.min())] and t["max"] == [float(times.max())]
    check(f"{os.path.basename(path)}: POSITION and time min/max equal the float32 data exactly (Python's JSON parser)", exact_minmax)
    return doc


def verify_blender(folder):
    import bpy
    from mathutils import Vector  # noqa: F401  (bpy's math types)

    def fresh(fps=30):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        bpy.context.scene.render.fps = fps
        bpy.context.scene.render.fps_base = 1.0

    def evaluated(obj, world=True):
        depsgraph = bpy.context.evaluated_depsgraph_get()
        ev = obj.evaluated_get(depsgraph)
        mesh = ev.to_mesh()
        co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", co)
        co = co.reshape(-1, 3)
        if world:
            m = np.array(ev.matrix_world)
            co = co @ m[:3, :3].T + m[:3, 3]
        ev.to_mesh_clear()
        return co

    for track in tracks_in(folder):
        info, lbs, joints, exact = load_reference(folder, track)
        frames = info["frame_ids"]
        base = os.path.join(folder, f"verify_{track:04d}")

        # glTF: skinned mesh vs our LBS at every key (scene fps = source fps; key time t -> frame t*fps).
        read_glb(base + ".glb")
        fresh(info["fps"])
        bpy.ops.import_scene.gltf(filepath=base + ".glb")
        arm = [o for o in bpy.data.objects if o.type == "ARMATURE"][0]
        mesh = [o for o in bpy.data.objects if o.type == "MESH" and o.find_armature()][0]
        names_ok = sorted(b.name for b in arm.data.bones) == sorted(info["joint_names"])
        cams = [o for o in bpy.data.objects if o.type == "CAMERA"]
        check(f"track {track}: glb in Blender: 24 SMPL-named bones, {len(mesh.data.vertices)} vertices, camera",
              names_ok and len(mesh.data.vertices) == lbs.shape[1] and len(cams) == 1)
        worst = 0.0
        for k, f in enumerate(frames):
            bpy.context.scene.frame_set(f)
            worst = max(worst, np.abs(blender_to_y_up(evaluated(mesh)) - lbs[k]).max())
        check(f"track {track}: glb skinned vertices vs our LBS at {len(frames)} keys", worst < 1e-4, f"max error {worst:.2e} m")
        vfov = cams[0].data.angle_y if cams else 0
        check(f"track {track}: glb camera vertical FOV", abs(vfov - 2 * np.arctan(720 / 2 / np.hypot(1280, 720))) < 1e-5)

        # Rest OBJ + PC2 through the MeshCache modifier: exact vertices (held across gaps).
        fresh(info["fps"])
        bpy.ops.wm.obj_import(filepath=base + "_rest.obj")
        obj = bpy.context.selected_objects[0]
        mod = obj.modifiers.new("cache", "MESH_CACHE")
        mod.cache_format = "PC2"
        mod.filepath = base + ".pc2"
        mod.frame_start = frames[0]
        worst = 0.0
        for k, f in enumerate(frames):
            bpy.context.scene.frame_set(f)
            worst = max(worst, np.abs(evaluated(obj, world=False) - exact[k]).max())
        held = frames[0] + next((k for k in range(len(frames) - 1) if frames[k + 1] != frames[k] + 1), 0) + 1
        hold_ok = True
        if held not in frames:
            bpy.context.scene.frame_set(held)
            last = max(k for k, f in enumerate(frames) if f < held)
            hold_ok = np.abs(evaluated(obj, world=False) - exact[last]).max() < 2e-6
        check(f"track {track}: pc2 in Blender MeshCache vs exact vertices (+ hold over the gap)", worst < 2e-6 and hold_ok, f"max error {worst:.2e} m")

        # OBJ sequence: vertex order and values of one frame.
        fresh()
        k = len(frames) // 2
        bpy.ops.wm.obj_import(filepath=os.path.join(folder, "meshes", f"{track:04d}", f"{frames[k]:06d}.obj"))
        obj = bpy.context.selected_objects[0]
        err = np.abs(evaluated(obj, world=False) - exact[k]).max()
        check(f"track {track}: obj frame {frames[k]} in Blender, order kept", err < 2e-6, f"max error {err:.2e} m")

        # BVH (cm, ZXY): joint positions vs ours, line i = video frame frames[0] + i.
        fresh(info["fps"])
        bpy.ops.import_anim.bvh(filepath=base + ".bvh", global_scale=0.01, frame_start=1, use_fps_scale=False,
                                rotate_mode="NATIVE", axis_forward="-Z", axis_up="Y")
        arm = bpy.context.object
        worst = 0.0
        for k, f in enumerate(frames):
            bpy.context.scene.frame_set(1 + f - frames[0])
            m = np.array(arm.matrix_world)
            got = np.array([list(arm.pose.bones[n].head) for n in info["joint_names"]])
            got = got @ m[:3, :3].T + m[:3, 3]
            worst = max(worst, np.abs(blender_to_y_up(got) - joints[k]).max())
        check(f"track {track}: bvh joints in Blender vs ours", worst < 1e-4, f"max error {worst:.2e} m")

        # USDA in Blender (UsdSkel importer): skinned mesh vs our LBS at a few keys.
        fresh(info["fps"])
        bpy.ops.wm.usd_import(filepath=base + ".usda")
        skinned = [o for o in bpy.data.objects if o.type == "MESH" and any(m.type == "ARMATURE" for m in o.modifiers)]
        worst = 0.0
        for k in [0, len(frames) // 2, len(frames) - 1]:
            bpy.context.scene.frame_set(frames[k])
            worst = max(worst, np.abs(blender_to_y_up(evaluated(skinned[0])) - lbs[k]).max()) if skinned else 1
        check(f"track {track}: usda (UsdSkel) in Blender vs our LBS", len(skinned) == 1 and worst < 1e-4, f"max error {worst:.2e} m")


def verify_usd(folder):
    from pxr import Usd, UsdGeom, UsdSkel, Vt
    from pxr import UsdValidation as V

    for track in tracks_in(folder):
        info, lbs, joints, exact = load_reference(folder, track)
        stage = Usd.Stage.Open(os.path.join(folder, f"verify_{track:04d}.usda"))
        errors = V.ValidationContext(V.ValidationRegistry().GetOrLoadAllValidators()).Validate(stage)
        check(f"track {track}: usda UsdValidation issues", len(errors) == 0, str([(e.GetName(), e.GetMessage()) for e in errors]))
        cache = UsdSkel.Cache()
        root = UsdSkel.Root(stage.GetPrimAtPath("/Scene/Body"))
        cache.Populate(root, Usd.PrimDefaultPredicate)
        binding = cache.ComputeSkelBindings(root, Usd.PrimDefaultPredicate)[0]
        skel = cache.GetSkelQuery(binding.GetSkeleton())
        target = binding.GetSkinningTargets()[0]
        mesh = UsdGeom.Mesh(target.GetPrim())
        baked = UsdGeom.Mesh(stage.GetPrimAtPath("/Scene/BakedMesh"))
        worst = worst_baked = 0.0
        for k, t in enumerate(info["times"]):
            code = round(t * info["fps"] * 1e6) / 1e6
            points = Vt.Vec3fArray(mesh.GetPointsAttr().Get(code))
            target.ComputeSkinnedPoints(skel.ComputeSkinningTransforms(code), points, code)
            worst = max(worst, np.abs(np.array(points) - lbs[k]).max())
            worst_baked = max(worst_baked, np.abs(np.array(baked.GetPointsAttr().Get(code)) - exact[k]).max())
        check(f"track {track}: UsdSkel skinned points vs our LBS", worst < 1e-4, f"max error {worst:.2e} m")
        check(f"track {track}: USD baked points vs exact vertices", worst_baked < 2e-6, f"max error {worst_baked:.2e} m")
        check(f"track {track}: USD time range", stage.GetStartTimeCode() == info["frame_ids"][0] and stage.GetEndTimeCode() == info["frame_ids"][-1])


def main():
    args = sys.argv[1:]
    pickle_only = "--pickle-only" in args
    folder = [a for a in args if not a.startswith("--")][0]
    verify_parameter_files(folder)
    if not pickle_only:
        verify_usd(folder)
        verify_blender(folder)
    if FAILED:
        print(f"verify_exports: {len(FAILED)} check(s) failed")
        sys.exit(1)
    print("verify_exports: all checks passed")


if __name__ == "__main__":
    main()
