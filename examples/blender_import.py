"""Import one pymaf-video person into Blender, animated at the video's frame rate and seen
through the camera that matches the video, with the video as the camera background.

Run inside Blender (Scripting tab, or `blender --python examples/blender_import.py -- ARGS`), or
with Blender as a Python module (`pip install bpy`):

    blender --python examples/blender_import.py -- OUTPUT/NAME 1 [--video clip.mp4] [--exact]

OUTPUT/NAME is the run's output folder for the video, 1 the track id. By default the skinned
rig (NAME_0001.glb) is imported; --exact instead puts the exact per-frame vertices
(NAME_0001.pc2, pose correctives included) on the rest mesh with a MeshCache modifier.
"""
import os
import sys

import bpy
import numpy as np


def main(argv):
    args = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    folder, track = args[0], int(args[1])
    video = args[args.index("--video") + 1] if "--video" in args else None
    exact = "--exact" in args
    name = os.path.basename(os.path.normpath(folder))
    base = os.path.join(folder, f"{name}_{track:04d}")
    meta = np.load(os.path.join(folder, "tracks", f"{track:04d}.npz"), allow_pickle=False)
    fps = float(meta["fps"])
    width, height = (int(v) for v in meta["image_size"])
    frames = meta["frame_ids"]

    scene = bpy.context.scene
    # Blender maps glTF seconds to frames with the scene rate *at import time*: set it first.
    scene.render.fps = int(round(fps))
    scene.render.fps_base = scene.render.fps / fps
    scene.render.resolution_x, scene.render.resolution_y = width, height
    scene.frame_start, scene.frame_end = int(frames[0]), int(frames[-1])

    bpy.ops.import_scene.gltf(filepath=base + ".glb")
    camera = next(o for o in bpy.context.selected_objects if o.type == "CAMERA")
    scene.camera = camera
    camera.data.sensor_fit = "VERTICAL"

    if exact:
        # Hide the skinned mesh and show the exact vertices on the rest mesh instead.
        for o in bpy.context.selected_objects:
            if o.type == "MESH":
                o.hide_viewport = o.hide_render = True
        bpy.ops.wm.obj_import(filepath=base + "_rest.obj")
        body = bpy.context.selected_objects[0]
        cache = body.modifiers.new("pymaf-video", "MESH_CACHE")
        cache.cache_format = "PC2"
        cache.filepath = base + ".pc2"
        cache.frame_start = int(frames[0])  # sample 0 is the track's first video frame

    if video:
        clip = bpy.data.movieclips.load(video)
        camera.data.show_background_images = True
        background = camera.data.background_images.new()
        background.source = "MOVIE_CLIP"
        background.clip = clip
        background.frame_method = "FIT"
    print(f"pymaf-video: track {track}, frames {frames[0]}–{frames[-1]} at {fps:g} fps, camera {camera.name}")


main(sys.argv)
