"""Compares `pymaf-video regress --save_iterations` output with the PyTorch reference written by
make_pymaf_fixtures.py. Prints the worst max |Δ|/(1 + |ref|) per quantity over all iterations and
crops, then the same per iteration (0 = the mean estimate); exits 1 above the bound (default 1e-4).

    python tools/compare_pymaf_outputs.py reference_io.npz swift_out.npz [--label TEXT]
"""
import argparse
import sys

import numpy as np


def rodrigues(aa):
    """(K,3) axis-angle → (K,3,3) (float64; only used to compare rotations)."""
    aa = aa.astype(np.float64)
    angle = np.linalg.norm(aa + 1e-8, axis=1, keepdims=True)
    d = aa / angle
    K = np.zeros((aa.shape[0], 3, 3))
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 0] = -d[:, 2], d[:, 1], d[:, 2]
    K[:, 1, 2], K[:, 2, 0], K[:, 2, 1] = -d[:, 0], -d[:, 1], d[:, 0]
    s, c = np.sin(angle)[:, :, None], np.cos(angle)[:, :, None]
    return np.eye(3)[None] + s * K + (1 - c) * (K @ K)


def scaled(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise SystemExit(f'shape {a.shape} vs reference {b.shape}')
    return float(np.max(np.abs(a - b) / (1 + np.abs(b))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('reference')
    parser.add_argument('output')
    parser.add_argument('--label', default='')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    args = parser.parse_args()
    ref, out = np.load(args.reference), np.load(args.output)
    t_ref, t_out = ref['theta_iters'], out['theta_iters']

    def errors_at(i):
        """Worst scaled error per quantity at iteration i (a slice of every (4, N, ...) array)."""
        return {
            'cam': scaled(t_out[i, ..., :3], t_ref[i, ..., :3]),
            'betas': scaled(t_out[i, ..., 3:13], t_ref[i, ..., 3:13]),
            'rotmat': scaled(out['rotmat_iters'][i], ref['rotmat_iters'][i]),
            'pose (as rotation)': scaled(rodrigues(t_out[i, ..., 13:].reshape(-1, 3)),
                                         rodrigues(t_ref[i, ..., 13:].reshape(-1, 3))),
            'verts': scaled(out['verts_iters'][i], ref['verts_iters'][i]),
            'joints': scaled(out['joints_iters'][i], ref['joints_iters'][i]),
        }

    per_iteration = [errors_at(i) for i in range(t_ref.shape[0])]
    errors = {k: max(e[k] for e in per_iteration) for k in per_iteration[0]}
    worst = max(errors.values())
    line = '  '.join(f'{k} {v:.2e}' for k, v in errors.items())
    status = 'ok' if worst <= args.tolerance else f'FAIL (> {args.tolerance:g})'
    print(f'{args.label:>16}: {line}  → {status}')
    for i, e in enumerate(per_iteration):
        print(f'{"iteration " + str(i):>16}: ' + '  '.join(f'{k} {v:.2e}' for k, v in e.items()))
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == '__main__':
    main()
