"""Runs a PyMAF checkpoint (the network of make_pymaf_fixtures.py) in float64 on the given inputs
and saves every iteration's outputs in the layout of pymaf_<size>_io.npz. With it,
compare_pymaf_outputs.py can measure how far PyTorch's own float32 result and pymaf-video's are
from the float64 one: if both are equally far, a float32 difference between them is rounding,
not a bug.

    python tools/pymaf_float64_reference.py --checkpoint ckpt.pt --inputs crops.npy --out ref64_io.npz
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pymaf_fixtures as fixtures
import time_pymaf_torch as timing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--checkpoint', required=True)
    parser.add_argument('--inputs', required=True)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = timing.load_model(args.checkpoint).double()
    x = torch.from_numpy(np.load(args.inputs)).double()
    with torch.no_grad():
        out = fixtures.collect(model(x))
    arrays = {k: v.numpy() for k, v in out.items()}
    arrays['theta'] = arrays['theta_iters'][-1]
    arrays['pred_cam'] = arrays['theta_iters'][-1][:, :3]
    np.savez(args.out, **arrays)
    print(f'wrote {args.out} (float64, {x.shape[0]} crops)')


if __name__ == '__main__':
    main()
