#!/usr/bin/env python3
"""Golden outputs of the BlazePose person detector, computed by LiteRT (the reference runtime).

Writes Tests/PersonTrackingTests/Fixtures/detector_goldens.json (and the exact input pixels of
each image as <name>.rgb when the image comes from a file this script decodes).

Setup (once):  python3 -m venv /tmp/litertvenv
               /tmp/litertvenv/bin/pip install ai-edge-litert numpy opencv-python-headless
Run from the repository root, after `make models`:
               /tmp/litertvenv/bin/python tools/make_detector_goldens.py [--frames DIR]

Inputs:
  * ../shared/data/coco_person.jpg, decoded here with OpenCV; its RGB bytes are committed as
    Fixtures/coco_person.rgb so the Swift test feeds the detector the very same pixels.
  * with --frames DIR: every DIR/<name>.rgb with a DIR/<name>.json {"width", "height"} beside
    it -- frames decoded by our own VideoIO decoder (see Tests/PersonTrackingTests/README in the
    fixture folder), so that a decoding difference cannot pass for a detector difference.

For each image the region is the letterbox (square of side max(W, H), centred) sampled onto
224x224 exactly as PersonDetector does: output pixel (x, y) reads the image at
origin + (x + 0.5) * side / 224 - 0.5, bilinear over pixel centres, black outside, then
value / 127.5 - 1. LiteRT runs the model on that tensor; we store
  * the 16 anchors with the highest logits: index, logit, and their 12 regressor values,
  * every 97th anchor's logit and 12 values (a spread sample of the raw outputs),
  * the decoded detections after sigmoid, threshold 0.5 and weighted NMS (IoU 0.3), in pixels.
"""
import argparse
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "data/models/pose_detection.tflite")
SHARED = os.path.join(ROOT, "../shared/data")
FIXTURES = os.path.join(ROOT, "Tests/PersonTrackingTests/Fixtures")
SIZE = 224


def letterbox_region(width, height):
    side = float(max(width, height))
    return ((width - side) / 2.0, (height - side) / 2.0, side)


def sample_region(rgb, region):
    """The 224x224x3 float32 input for a square region of an HxWx3 uint8 image."""
    h, w, _ = rgb.shape
    ox, oy, side = (np.float32(v) for v in region)
    scale = np.float32(side / np.float32(SIZE))
    grid = np.arange(SIZE, dtype=np.float32)
    sy = np.clip(oy + (grid + np.float32(0.5)) * scale - np.float32(0.5), -2, h + 1).astype(np.float32)
    sx = np.clip(ox + (grid + np.float32(0.5)) * scale - np.float32(0.5), -2, w + 1).astype(np.float32)
    y0 = np.floor(sy).astype(np.int64)
    x0 = np.floor(sx).astype(np.int64)
    wy = (sy - np.floor(sy)).astype(np.float32)[:, None, None]
    wx = (sx - np.floor(sx)).astype(np.float32)[None, :, None]
    padded = np.zeros((h + 8, w + 8, 3), np.float32)  # black border, offset 4
    padded[4:4 + h, 4:4 + w] = rgb

    def px(yy, xx):
        return padded[(yy + 4)[:, None], (xx + 4)[None, :]]

    top = px(y0, x0) * (1 - wx) + px(y0, x0 + 1) * wx
    bottom = px(y0 + 1, x0) * (1 - wx) + px(y0 + 1, x0 + 1) * wx
    value = top * (1 - wy) + bottom * wy
    return (value / np.float32(127.5) - np.float32(1)).astype(np.float32)


def anchors():
    out = []
    for stride, per_cell in ((8, 2), (16, 2), (32, 6)):
        grid = (SIZE + stride - 1) // stride
        for y in range(grid):
            for x in range(grid):
                out += [((x + 0.5) / grid, (y + 0.5) / grid)] * per_cell
    return np.array(out, np.float32)


def iou(a, b):
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def decode(regressors, logits, region, threshold=0.5, nms=0.3):
    anc = anchors()
    scores = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -100, 100)))
    dets = []
    for i in np.nonzero(scores >= threshold)[0]:
        r = regressors[i].astype(np.float64) / SIZE
        cx, cy = r[0] + anc[i, 0], r[1] + anc[i, 1]
        box = [cx - r[2] / 2, cy - r[3] / 2, r[2], r[3]]
        kps = [[r[4 + 2 * k] + anc[i, 0], r[5 + 2 * k] + anc[i, 1]] for k in range(4)]
        dets.append((float(scores[i]), box, kps))
    dets.sort(key=lambda d: -d[0])
    out = []
    while dets:
        top = dets[0]
        group = [d for d in dets if d is top or iou(d[1], top[1]) > nms]
        dets = [d for d in dets if not (d is top or iou(d[1], top[1]) > nms)]
        total = sum(d[0] for d in group)
        x0 = sum(d[1][0] * d[0] for d in group) / total
        y0 = sum(d[1][1] * d[0] for d in group) / total
        x1 = sum((d[1][0] + d[1][2]) * d[0] for d in group) / total
        y1 = sum((d[1][1] + d[1][3]) * d[0] for d in group) / total
        kps = [[sum(d[2][k][j] * d[0] for d in group) / total for j in range(2)] for k in range(4)]
        ox, oy, side = region
        out.append({
            "score": top[0],
            "box": [ox + x0 * side, oy + y0 * side, (x1 - x0) * side, (y1 - y0) * side],
            "keypoints": [[ox + k[0] * side, oy + k[1] * side] for k in kps],
        })
    return out


def run(interpreter, tensor):
    inp = interpreter.get_input_details()[0]
    interpreter.set_tensor(inp["index"], tensor[None])
    interpreter.invoke()
    outs = {tuple(d["shape"]): interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()}
    return outs[(1, 2254, 12)][0], outs[(1, 2254, 1)][0, :, 0]


def golden(interpreter, name, rgb):
    h, w, _ = rgb.shape
    region = letterbox_region(w, h)
    tensor = sample_region(rgb, region)
    regressors, logits = run(interpreter, tensor)
    top = np.argsort(-logits, kind="stable")[:16]
    spread = np.arange(0, 2254, 97)
    return {
        "name": name,
        "width": w,
        "height": h,
        "region": list(region),
        "input_mean": float(tensor.astype(np.float64).mean()),
        "top_anchors": [int(i) for i in top],
        "top_logits": [float(logits[i]) for i in top],
        "top_regressors": [[float(v) for v in regressors[i]] for i in top],
        "spread_anchors": [int(i) for i in spread],
        "spread_logits": [float(logits[i]) for i in spread],
        "spread_regressors": [[float(v) for v in regressors[i]] for i in spread],
        "max_abs_regressor": float(np.abs(regressors).max()),
        "detections": decode(regressors, logits, region),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", help="folder of <name>.rgb + <name>.json frames dumped by our decoder")
    args = parser.parse_args()
    import cv2
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=MODEL, num_threads=1)
    interpreter.allocate_tensors()
    images = []
    bgr = cv2.imread(os.path.join(SHARED, "coco_person.jpg"), cv2.IMREAD_COLOR)
    coco = np.ascontiguousarray(bgr[:, :, ::-1])
    coco.tofile(os.path.join(FIXTURES, "coco_person.rgb"))
    images.append(golden(interpreter, "coco_person", coco))
    if args.frames:
        for entry in sorted(os.listdir(args.frames)):
            if not entry.endswith(".json"):
                continue
            stem = entry[:-5]
            with open(os.path.join(args.frames, entry)) as f:
                meta = json.load(f)
            raw = np.fromfile(os.path.join(args.frames, stem + ".rgb"), np.uint8)
            images.append(golden(interpreter, stem, raw.reshape(meta["height"], meta["width"], 3)))
    with open(os.path.join(FIXTURES, "detector_goldens.json"), "w") as f:
        json.dump({"generator": "tools/make_detector_goldens.py", "images": images}, f, indent=1)
    for image in images:
        print(image["name"], [(round(d["score"], 3), [round(v, 1) for v in d["keypoints"][0]]) for d in image["detections"]])


if __name__ == "__main__":
    sys.exit(main())
