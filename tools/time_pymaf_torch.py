"""Times PyTorch eager on a PyMAF checkpoint (the network of make_pymaf_fixtures.py, same
computation) at batch 1 and 8, 2 threads: prints `batch B: MS ms/frame` lines for pymaf-bench.

    python tools/time_pymaf_torch.py --checkpoint ckpt.pt --inputs crops.npy [--threads 2]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pymaf_fixtures as fixtures
import pymaf_reference as ref


def load_model(checkpoint):
    """The fixture network with the checkpoint's weights and buffers, in eval mode."""
    state = torch.load(checkpoint, map_location='cpu', weights_only=True)['model']
    V = state['regressor.0.smpl.v_template'].shape[0]
    cfg = dict(width=state['feature_extractor.conv1.weight'].shape[0],
               deconv=state['deconv_layers.0.weight'].shape[1],
               mlp=(state['maf_extractor.0.conv0.weight'].shape[0], state['maf_extractor.0.conv1.weight'].shape[0]),
               fc=state['regressor.0.fc1.weight'].shape[0], V=V,
               F=state['regressor.0.smpl.faces_tensor'].shape[0], mid=8)
    rng = np.random.default_rng(0)
    body = ref.random_body(rng, V, cfg['F'])
    body['extra_idx'] = state['regressor.0.smpl.vertex_joint_selector.extra_joints_idxs'].numpy()
    mean = dict(pose=np.zeros(144, np.float32), shape=np.zeros(10), cam=np.zeros(3, np.float32))
    model = fixtures.PyMAFNet(cfg, body, state['maf_extractor.0.Dmap'], mean)
    renamed = {k.replace('.smpl.', '.smpl.inner.'): v for k, v in state.items()}
    model.load_state_dict(renamed, strict=True)
    model.eval()
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--checkpoint', required=True)
    parser.add_argument('--inputs', required=True)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model(args.checkpoint)
    x = torch.from_numpy(np.load(args.inputs))
    with torch.no_grad():
        for batch in (1, 8):
            xb = x[:batch].contiguous()
            model(xb)
            samples = []
            for _ in range(5):
                t0 = time.perf_counter()
                model(xb)
                samples.append((time.perf_counter() - t0) * 1000 / batch)
            print(f'batch {batch}: {float(np.median(samples)):.1f} ms/frame', flush=True)


if __name__ == '__main__':
    main()
