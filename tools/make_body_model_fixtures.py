"""Writes Tests/BodyModelTests/Fixtures/body_model.json: a random SMPL-structured body (small V)
and what the smplx SMPL layer and PyMAF's geometry compute on it (float32, CPU).

    /tmp/torchvenv/bin/python tools/make_body_model_fixtures.py   (needs torch, numpy, smplx)
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import pymaf_reference as ref

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'Tests', 'BodyModelTests', 'Fixtures', 'body_model.json')


def flat(x):
    a = x.detach().numpy() if torch.is_tensor(x) else np.asarray(x)
    if a.dtype.kind == 'f':
        return [float(str(v)) for v in a.astype(np.float32).ravel()]  # shortest float32 text
    return [int(v) for v in a.ravel()]


def main():
    torch.manual_seed(7)
    rng = np.random.default_rng(7)
    V, Fc, N = 64, 40, 5
    body = ref.random_body(rng, V, Fc)
    layer = ref.smplx_layer(body, batch_size=N)
    jextra = torch.tensor(body['J_regressor_extra'])

    # Poses: random 6D (any scale), plus the mean-pose-like half turn and the identity.
    sixd = torch.randn(N, 24, 6) * 1.5
    sixd[1, 0] = torch.tensor([1.0, 0.0, 0.0, -1.0, 0.0, 0.0])   # half turn about x (the mean pose's root)
    sixd[2] = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])        # identity everywhere
    betas = torch.randn(N, 10)
    betas[2] = 0
    with torch.no_grad():
        rotmat = ref.rot6d_to_rotmat(sixd.reshape(-1, 6)).reshape(N, 24, 3, 3)
        verts, joints24, joints49 = ref.smpl_forward(layer, jextra, betas, rotmat)
        rest_joints = torch.einsum('jv,bvk->bjk', layer.J_regressor,
                                   layer.v_template + torch.einsum('bl,vkl->bvk', betas, layer.shapedirs))

        # Matrix → quaternion / axis-angle on every branch: random rotations and half turns.
        special = []
        for axis in ([1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, -1, 1], [1, 1, 1]):
            a = np.array(axis, dtype=np.float64)
            special.append(a / np.linalg.norm(a) * math.pi)
        special += [[0.0, 0.0, 0.0], [1e-4, -2e-4, 3e-4], [0.3, -2.9, 0.5], [-3.0, 0.2, -0.4]]
        aa_in = torch.cat([torch.tensor(np.array(special), dtype=torch.float32),
                           torch.randn(40, 3) * 1.7]).float()
        rodrigues = layer_rodrigues(aa_in)
        mats = torch.cat([rodrigues, rotmat.reshape(-1, 3, 3)])
        quats = ref.rotmat_to_quaternion(mats)
        axis_angle = ref.rotmat_to_axis_angle(mats)
        q_in = torch.randn(20, 4)
        q_mats = ref.quaternion_to_rotmat(q_in)

        cams = torch.tensor([[0.9, 0.05, 0.2], [1.3, -0.1, 0.0], [0.6, 0.3, -0.25],
                             [1.0, 0.0, 0.0], [0.75, -0.2, 0.15]], dtype=torch.float32)
        projected = ref.project(joints49, cams)
    boxes = np.array([[320, 240, 200, 200], [100.5, 400.25, 150, 150], [640, 360, 720, 720],
                      [10, 20, 64, 64], [900, 100, 333, 333]], dtype=np.float32)
    orig = ref.orig_cam(cams.numpy().astype(np.float64), boxes.astype(np.float64), 1280.0, 720.0)

    data = {
        'vertex_count': V, 'face_count': Fc, 'count': N,
        'v_template': flat(body['v_template']),
        'shapedirs': flat(body['shapedirs']),                       # (V, 3, 10)
        'posedirs': flat(layer.posedirs),                            # (207, V*3) as smplx holds it
        'J_regressor': flat(body['J_regressor']),
        'weights': flat(body['weights']),
        'parents': flat(layer.parents),
        'faces': flat(body['f']),
        'J_regressor_extra': flat(body['J_regressor_extra']),
        'extra_idx': flat(body['extra_idx']),
        'sixd': flat(sixd), 'betas': flat(betas), 'rotmat': flat(rotmat),
        'vertices': flat(verts), 'joints24': flat(joints24), 'joints49': flat(joints49),
        'rest_joints': flat(rest_joints),
        'aa_in': flat(aa_in), 'rodrigues': flat(rodrigues),
        'quat_mats': flat(mats), 'quaternions': flat(quats), 'axis_angle': flat(axis_angle),
        'q_in': flat(q_in), 'q_mats': flat(q_mats),
        'cams': flat(cams), 'projected': flat(projected),
        'boxes': flat(boxes), 'image_size': [1280, 720], 'orig_cam': flat(orig),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT + '.tmp', 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    os.replace(OUT + '.tmp', OUT)
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


def layer_rodrigues(aa):
    from smplx.lbs import batch_rodrigues
    return batch_rodrigues(aa)


if __name__ == '__main__':
    main()
