"""Reference computations for the fixture scripts: a random SMPL-structured body, the smplx
SMPL layer built on it, and PyMAF's geometry (6D, quaternions, axis-angle, projection, the
49-joint set, the crop camera), written from the facts in shared/docs/pymaf-reference.md.

Used by make_body_model_fixtures.py and make_pymaf_fixtures.py. Needs torch, numpy, smplx.
"""
import numpy as np
import torch
import torch.nn.functional as F
import smplx
from smplx.utils import Struct

SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]
# smplx's vertex joint selector order: face (5), feet (6), left tips (5), right tips (5).
SELECTOR_NAMES = ['nose', 'reye', 'leye', 'rear', 'lear',
                  'LBigToe', 'LSmallToe', 'LHeel', 'RBigToe', 'RSmallToe', 'RHeel',
                  'lthumb', 'lindex', 'lmiddle', 'lring', 'lpinky',
                  'rthumb', 'rindex', 'rmiddle', 'rring', 'rpinky']
SMPL_EXTRA_VERTICES = [332, 6260, 2800, 4071, 583, 3216, 3226, 3387, 6617, 6624, 6787,
                       2746, 2319, 2445, 2556, 2673, 6191, 5782, 5905, 6016, 6133]
JOINT_MAP_49 = [24, 12, 17, 19, 21, 16, 18, 20, 0, 2, 5, 8, 1, 4, 7, 25, 26, 27, 28, 29, 30, 31,
                32, 33, 34, 8, 5, 45, 46, 4, 7, 21, 19, 17, 16, 18, 20, 47, 48, 49, 50, 51, 52,
                53, 24, 26, 25, 28, 27]


def random_body(rng, vertex_count, face_count, beta_count=10):
    """A random body with SMPL's structure: a blob of vertices about a metre tall, small shape
    and pose correctives, convex joint and skinning weights, 21 selector vertices."""
    V = vertex_count
    v_template = (rng.standard_normal((V, 3)) * np.array([0.25, 0.5, 0.15])).astype(np.float32)
    shapedirs = (rng.standard_normal((V, 3, beta_count)) * 0.02).astype(np.float32)
    posedirs = (rng.standard_normal((V, 3, 207)) * 0.01).astype(np.float32)

    def convex_rows(rows, cols, nonzero):
        m = np.zeros((rows, cols), dtype=np.float64)
        for r in range(rows):
            idx = rng.choice(cols, size=nonzero, replace=False)
            w = rng.random(nonzero) + 0.1
            m[r, idx] = w / w.sum()
        return m.astype(np.float32)

    j_regressor = convex_rows(24, V, min(8, V))
    weights = convex_rows(V, 24, 4)
    j_regressor_extra = convex_rows(9, V, min(6, V))
    faces = np.stack([rng.choice(V, size=3, replace=False) for _ in range(face_count)]).astype(np.int64)
    extra_idx = rng.choice(V, size=21, replace=False).astype(np.int64)
    kintree = np.array([[4294967295] + SMPL_PARENTS[1:], list(range(24))], dtype=np.int64)
    return dict(v_template=v_template, shapedirs=shapedirs, posedirs=posedirs,
                J_regressor=j_regressor, weights=weights, kintree_table=kintree, f=faces,
                J_regressor_extra=j_regressor_extra, extra_idx=extra_idx)


def smplx_layer(body, batch_size=1):
    """smplx.SMPL built from the random body (no file), with the body's selector vertices."""
    struct = Struct(v_template=body['v_template'], shapedirs=body['shapedirs'],
                    posedirs=body['posedirs'], J_regressor=body['J_regressor'],
                    kintree_table=body['kintree_table'], weights=body['weights'], f=body['f'])
    vertex_ids = {name: int(i) for name, i in zip(SELECTOR_NAMES, body['extra_idx'])}
    return smplx.SMPL(model_path='', data_struct=struct, batch_size=batch_size,
                      create_transl=False, vertex_ids=vertex_ids)


def smpl_forward(layer, j_regressor_extra, betas, rotmat):
    """PyMAF's SMPL wrapper: smplx on rotation matrices, then the 9 extra joints and the 49 map.
    Returns vertices (N,V,3), the 24 posed joints (N,24,3), the 49 joints (N,49,3)."""
    out = layer(betas=betas, body_pose=rotmat[:, 1:], global_orient=rotmat[:, 0:1], pose2rot=False)
    extra = torch.einsum('bvk,jv->bjk', out.vertices, j_regressor_extra)
    joints54 = torch.cat([out.joints, extra], dim=1)
    return out.vertices, out.joints[:, :24], joints54[:, JOINT_MAP_49]


def rot6d_to_rotmat(x):
    """(K,6) → (K,3,3): Gram–Schmidt on the two columns of the 3×2 reshape."""
    x = x.reshape(-1, 3, 2)
    b1 = F.normalize(x[:, :, 0], dim=1)
    a2 = x[:, :, 1]
    b2 = F.normalize(a2 - (b1 * a2).sum(dim=1, keepdim=True) * b1, dim=1)
    b3 = torch.cross(b1, b2, dim=1)
    return torch.stack([b1, b2, b3], dim=-1)


def rotmat_to_quaternion(r, eps=1e-6):
    """(K,3,3) → (K,4) (w,x,y,z), branching on the transposed matrix's diagonal as PyMAF does."""
    m = r.transpose(1, 2)
    d2 = m[:, 2, 2] < eps
    d0_d1 = m[:, 0, 0] > m[:, 1, 1]
    d0_nd1 = m[:, 0, 0] < -m[:, 1, 1]
    t = torch.stack([1 + m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2],
                     1 - m[:, 0, 0] + m[:, 1, 1] - m[:, 2, 2],
                     1 - m[:, 0, 0] - m[:, 1, 1] + m[:, 2, 2],
                     1 + m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]], dim=1)
    cand = torch.stack([
        torch.stack([m[:, 1, 2] - m[:, 2, 1], t[:, 0], m[:, 0, 1] + m[:, 1, 0], m[:, 2, 0] + m[:, 0, 2]], -1),
        torch.stack([m[:, 2, 0] - m[:, 0, 2], m[:, 0, 1] + m[:, 1, 0], t[:, 1], m[:, 1, 2] + m[:, 2, 1]], -1),
        torch.stack([m[:, 0, 1] - m[:, 1, 0], m[:, 2, 0] + m[:, 0, 2], m[:, 1, 2] + m[:, 2, 1], t[:, 2]], -1),
        torch.stack([t[:, 3], m[:, 1, 2] - m[:, 2, 1], m[:, 2, 0] - m[:, 0, 2], m[:, 0, 1] - m[:, 1, 0]], -1),
    ], dim=1)
    case = torch.where(d2, torch.where(d0_d1, 0, 1), torch.where(d0_nd1, 2, 3))
    rows = torch.arange(r.shape[0])
    q = cand[rows, case] / torch.sqrt(t[rows, case]).unsqueeze(1)
    return q * 0.5


def quaternion_to_axis_angle(q):
    q1, q2, q3 = q[:, 1], q[:, 2], q[:, 3]
    s2 = q1 * q1 + q2 * q2 + q3 * q3
    s = torch.sqrt(s2)
    c = q[:, 0]
    two_theta = 2.0 * torch.where(c < 0.0, torch.atan2(-s, -c), torch.atan2(s, c))
    k = torch.where(s2 > 0.0, two_theta / s, torch.full_like(s, 2.0))
    return torch.stack([q1 * k, q2 * k, q3 * k], dim=1)


def rotmat_to_axis_angle(r):
    aa = quaternion_to_axis_angle(rotmat_to_quaternion(r))
    aa[torch.isnan(aa)] = 0.0
    return aa


def quaternion_to_rotmat(q):
    q = q / q.norm(dim=1, keepdim=True)
    w, x, y, z = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    return torch.stack([w * w + x * x - y * y - z * z, 2 * x * y - 2 * w * z, 2 * w * y + 2 * x * z,
                        2 * w * z + 2 * x * y, w * w - x * x + y * y - z * z, 2 * y * z - 2 * w * x,
                        2 * x * z - 2 * w * y, 2 * w * x + 2 * y * z, w * w - x * x - y * y + z * z],
                       dim=1).reshape(-1, 3, 3)


def project(points, cam):
    """Weak-perspective camera as a 5000 px pinhole: (N,P,3), (N,3) → normalized (N,P,2)."""
    t = torch.stack([cam[:, 1], cam[:, 2], 2 * 5000.0 / (224.0 * cam[:, 0] + 1e-9)], dim=-1)
    p = points + t.unsqueeze(1)
    uv = 5000.0 * p[:, :, :2] / p[:, :, 2:3]
    return uv / (224.0 / 2.0)


def orig_cam(cam, box, width, height):
    """Crop camera (N,3) + boxes (N,4: cx, cy, w, h) → image camera (N,4) = (sx, sy, tx, ty)."""
    cx, cy, side = box[:, 0], box[:, 1], box[:, 2]
    hw, hh = width / 2.0, height / 2.0
    sx = cam[:, 0] * (1.0 / (width / side))
    sy = cam[:, 0] * (1.0 / (height / side))
    tx = ((cx - hw) / hw / sx) + cam[:, 1]
    ty = ((cy - hh) / hh / sy) + cam[:, 2]
    return np.stack([sx, sy, tx, ty], axis=1)
