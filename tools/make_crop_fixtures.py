#!/usr/bin/env python3
"""Reference values of PyMAF's 224x224 crop, computed with OpenCV's warpAffine.

Writes Tests/PersonTrackingTests/Fixtures/crop_fixtures.json.

Setup (once):  python3 -m venv /tmp/litertvenv
               /tmp/litertvenv/bin/pip install numpy "opencv-python-headless==4.10.0.84"
Run from the repository root:  /tmp/litertvenv/bin/python tools/make_crop_fixtures.py

OpenCV 4.10 is the last release whose 8-bit warpAffine uses the fixed-point path that the
reference environment (PyMAF's demo, OpenCV 4.x of 2021) ran; later releases compute it in
float and can differ by one level.

The crop follows PyMAF's demo: the box (cx, cy, w, h) is mapped by the affine that sends the
centre to (112, 112), the centre + (0, h/2) to (112, 224) and the centre + (w/2, 0) to
(224, 112) (points as float32, cv2.getAffineTransform), warped with INTER_LINEAR and a constant 0
border, divided by 255 and normalized with the ImageNet mean/std, laid out (3, 224, 224).

Images: the COCO fixture (Fixtures/coco_person.rgb, 224x224) and a synthetic 640x360 pattern
p[y, x, c] = (7x + 13y + 101c) mod 256 (rebuilt by the Swift test). For each box we store the
FNV-1a 64-bit hash of all warped bytes, 48 sampled pixels, and the normalized values there.
"""
import json
import os

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests/PersonTrackingTests/Fixtures")
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def affine(cx, cy, w, h, size=224):
    centre = np.array([cx, cy], np.float32)
    src = np.stack([centre, centre + np.array([0, h * 0.5], np.float32), centre + np.array([w * 0.5, 0], np.float32)])
    half = np.float32(size * 0.5)
    dst = np.array([[half, half], [half, size], [size, half]], np.float32)
    return cv2.getAffineTransform(src.astype(np.float32), dst)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= int(b)
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def crop_case(name, image, box):
    trans = affine(*box)
    patch = cv2.warpAffine(image, trans, (224, 224), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    tensor = ((patch.astype(np.float32) / np.float32(255) - MEAN) / STD).transpose(2, 0, 1)
    rng = np.random.default_rng(len(name) * 7919 + int(box[0]))
    ys, xs = rng.integers(0, 224, 48), rng.integers(0, 224, 48)
    return {
        "image": name,
        "box": [float(v) for v in box],
        "fnv1a64": str(fnv1a64(patch.tobytes())),
        "samples": [[int(y), int(x)] for y, x in zip(ys, xs)],
        "pixels": [[int(v) for v in patch[y, x]] for y, x in zip(ys, xs)],
        "normalized": [[float(tensor[c, y, x]) for c in range(3)] for y, x in zip(ys, xs)],
    }


def main():
    coco = np.fromfile(os.path.join(FIXTURES, "coco_person.rgb"), np.uint8).reshape(224, 224, 3)
    yy, xx = np.mgrid[0:360, 0:640]
    pattern = np.stack([(7 * xx + 13 * yy + 101 * c) % 256 for c in range(3)], axis=-1).astype(np.uint8)
    cases = [
        crop_case("coco", coco, (121.0, 103.0, 228.0, 228.0)),       # the detector's box: reaches past the image
        crop_case("coco", coco, (100.5, 90.25, 80.0, 80.0)),          # upsampling, fractional centre
        crop_case("coco", coco, (112.0, 112.0, 224.0, 224.0)),        # identity
        crop_case("pattern", pattern, (320.0, 180.0, 300.0, 300.0)),  # downsampling
        crop_case("pattern", pattern, (600.3, 20.7, 150.0, 210.0)),   # corner, non-square box
        crop_case("pattern", pattern, (-50.0, 100.0, 120.0, 120.0)),  # mostly outside
    ]
    with open(os.path.join(FIXTURES, "crop_fixtures.json"), "w") as f:
        json.dump({"generator": "tools/make_crop_fixtures.py", "opencv": cv2.__version__, "cases": cases}, f, indent=1)
    print("wrote", len(cases), "cases with OpenCV", cv2.__version__)


if __name__ == "__main__":
    main()
