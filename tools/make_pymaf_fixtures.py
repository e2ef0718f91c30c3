"""Builds a PyMAF-structured network with random, well-scaled weights, runs it in PyTorch and
saves the checkpoint (zip and legacy formats), the inputs and every output of every iteration.

    tools/make_pymaf_fixtures.py --size small --out Tests/PyMAFTests/Fixtures   (committed, ~5 MB)
    tools/make_pymaf_fixtures.py --size full  --out .build/parity               (make parity, ~550 MB)

The network follows shared/docs/pymaf-reference.md: ResNet-50 trunk, three transposed-conv
blocks, the mesh-aligned feature MLPs, three regressors with SMPL layers (smplx), the initial
mean estimate and three feedback iterations; batch-norms in eval mode. At --size full its
state-dict keys, shapes and dtypes are exactly those of shared/reference/pymaf_state_dict_manifest.txt
(checked). --size small keeps every key and the structure with narrower layers and a 64-vertex body.

Files written in --out:
  pymaf_<size>_zip.pt, pymaf_<size>_legacy.pt   {'model': state_dict, 'epoch': 0} in both formats
  pymaf_full_inputs.npy                         (full only) the inputs, for `pymaf-video regress`
  pymaf_<size>_io.npz                           inputs (N,3,224,224) and reference outputs:
      theta_iters (4,N,85), rotmat_iters (4,N,24,3,3), verts_iters (4,N,V,3),
      joints_iters (4,N,49,3), pred_cam (N,3), theta (N,85)
  data_<size>/                                  the same body as PyMAF's data/ files:
      smpl/SMPL_NEUTRAL.pkl, J_regressor_extra.npy, smpl_mean_params.npz, mesh_downsampling.npz
  bench_<size>_torch.txt (with --time)          PyTorch eager ms/frame at batch 1 and 8
"""
import argparse
import collections
import os
import pickle
import sys
import time

import numpy as np
import scipy.sparse
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pymaf_reference as ref

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, '..', 'shared', 'reference', 'pymaf_state_dict_manifest.txt')

SIZES = {
    #        stem  deconv  mlp hidden     fc    V     faces  downsampled  batch
    'full': dict(width=64, deconv=256, mlp=(128, 64), fc=1024, V=6890, F=13776, mid=1723, N=8),
    'small': dict(width=4, deconv=16, mlp=(8, 4), fc=32, V=64, F=40, mid=24, N=3),
}


class Bottleneck(nn.Module):
    def __init__(self, cin, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        if downsample:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes * 4, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(planes * 4))
        else:
            self.downsample = None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        skip = x if self.downsample is None else self.downsample(x)
        return F.relu(y + skip)


class Trunk(nn.Module):
    """ResNet-50 without its classifier: 7×7/2 stem, max-pool, [3, 4, 6, 3] bottlenecks."""

    def __init__(self, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        cin = width
        for i, (blocks, stride) in enumerate(zip([3, 4, 6, 3], [1, 2, 2, 2])):
            planes = width * 2 ** i
            layer = []
            for b in range(blocks):
                layer.append(Bottleneck(cin, planes, stride if b == 0 else 1, downsample=(b == 0)))
                cin = planes * 4
            setattr(self, f'layer{i + 1}', nn.Sequential(*layer))
        self.out_channels = cin

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, stride=2, padding=1)
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class FeatureMLP(nn.Module):
    """Per-point 1×1 Conv1d MLP with skip inputs: C → h1 → h2 → 5, flattened channel-major."""

    def __init__(self, channels, hidden, dmap):
        super().__init__()
        self.register_buffer('Dmap', dmap)
        self.conv0 = nn.Conv1d(channels, hidden[0], 1)
        self.conv1 = nn.Conv1d(hidden[0] + channels, hidden[1], 1)
        self.conv2 = nn.Conv1d(hidden[1] + channels, 5, 1)

    def forward(self, feature_map, points):
        f = F.grid_sample(feature_map, points.unsqueeze(2), mode='bilinear', padding_mode='zeros',
                          align_corners=True)[..., 0]                                   # (N, C, P)
        y = F.leaky_relu(self.conv0(f), 0.01)
        y = F.leaky_relu(self.conv1(torch.cat([y, f], 1)), 0.01)
        y = F.relu(self.conv2(torch.cat([y, f], 1)))
        return y.reshape(y.shape[0], -1)                                                # (N, 5·P)


class BodyLayer(nn.Module):
    """smplx SMPL + PyMAF's J_regressor_extra (registered after smplx's own buffers)."""

    def __init__(self, body):
        super().__init__()
        self.inner = ref.smplx_layer(body, batch_size=64)
        self.inner.register_buffer('J_regressor_extra', torch.tensor(body['J_regressor_extra']))

    def forward(self, betas, rotmat):
        return ref.smpl_forward(self.inner, self.inner.J_regressor_extra, betas, rotmat)


class Regressor(nn.Module):
    def __init__(self, feature_len, fc, body, mean):
        super().__init__()
        self.fc1 = nn.Linear(feature_len + 144 + 13, fc)
        self.fc2 = nn.Linear(fc, fc)
        self.decpose = nn.Linear(fc, 144)
        self.decshape = nn.Linear(fc, 10)
        self.deccam = nn.Linear(fc, 3)
        self.smpl = BodyLayer(body)
        self.register_buffer('init_pose', torch.tensor(mean['pose']).reshape(1, 144))
        self.register_buffer('init_shape', torch.tensor(mean['shape'], dtype=torch.float32).reshape(1, 10))
        self.register_buffer('init_cam', torch.tensor(mean['cam']).reshape(1, 3))

    def refine(self, feature, pose, shape, cam):
        x = self.fc2(self.fc1(torch.cat([feature, pose, shape, cam], 1)))
        return pose + self.decpose(x), shape + self.decshape(x), cam + self.deccam(x)


class DenseCorrespondenceHead(nn.Module):
    """Training-only head: present in checkpoints, never evaluated at inference."""

    def __init__(self, channels):
        super().__init__()
        self.predict_u = nn.Conv2d(channels, 25, 3, padding=1)
        self.predict_v = nn.Conv2d(channels, 25, 3, padding=1)
        self.predict_ann_index = nn.Conv2d(channels, 15, 3, padding=1)
        self.predict_uv_index = nn.Conv2d(channels, 25, 3, padding=1)


class PyMAFNet(nn.Module):
    def __init__(self, cfg, body, dmap, mean):
        super().__init__()
        grid = torch.linspace(-1, 1, 21)
        xs, ys = torch.meshgrid(grid, grid, indexing='ij')
        self.register_buffer('points_grid', torch.stack([xs.reshape(-1), ys.reshape(-1)]).unsqueeze(0))
        self.feature_extractor = Trunk(cfg['width'])
        d = cfg['deconv']
        layers, cin = [], self.feature_extractor.out_channels
        for _ in range(3):
            layers += [nn.ConvTranspose2d(cin, d, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(d), nn.ReLU()]
            cin = d
        self.deconv_layers = nn.Sequential(*layers)
        self.maf_extractor = nn.ModuleList([FeatureMLP(d, cfg['mlp'], dmap) for _ in range(3)])
        self.regressor = nn.ModuleList([
            Regressor((441 if i == 0 else dmap.shape[0]) * 5, cfg['fc'], body, mean) for i in range(3)])
        self.dp_head = DenseCorrespondenceHead(d)

    def body(self, i, pose, shape):
        n = pose.shape[0]
        rotmat = ref.rot6d_to_rotmat(pose).reshape(n, 24, 3, 3)
        verts, _, joints49 = self.regressor[i].smpl(shape, rotmat)
        return rotmat, verts, joints49

    def forward(self, x):
        n = x.shape[0]
        features = self.feature_extractor(x)
        r0 = self.regressor[0]
        pose, shape, cam = r0.init_pose.expand(n, -1), r0.init_shape.expand(n, -1), r0.init_cam.expand(n, -1)
        rotmat, verts, joints = self.body(0, pose, shape)
        iters = [(pose, shape, cam, rotmat, verts, joints)]
        for t in range(3):
            features = self.deconv_layers[3 * t:3 * t + 3](features)
            if t == 0:
                points = self.points_grid.expand(n, -1, -1).transpose(1, 2)             # (N, 441, 2)
            else:
                down = torch.matmul(self.maf_extractor[t].Dmap.unsqueeze(0), verts)     # (N, 431, 3)
                points = ref.project(down, cam)                                          # (N, 431, 2)
            feature = self.maf_extractor[t](features, points)
            pose, shape, cam = self.regressor[t].refine(feature, pose, shape, cam)
            rotmat, verts, joints = self.body(t, pose, shape)
            iters.append((pose, shape, cam, rotmat, verts, joints))
        return iters


def random_mean(rng):
    """Mean parameters like PyMAF's: identity joints, the root a half turn about x, noise."""
    pose = np.tile(np.array([1, 0, 0, 1, 0, 0], dtype=np.float32), 24)
    pose[:6] = [1, 0, 0, -1, 0, 0]
    pose += (rng.standard_normal(144) * 0.05).astype(np.float32)
    pose[:6] = [1, 0, 0, -1, 0, 0]
    return dict(pose=pose.astype(np.float32), shape=(rng.standard_normal(10) * 0.3),
                cam=np.array([0.9, 0.0, 0.2], dtype=np.float32))


def random_downsampling(rng, V, mid, out=431):
    """Two sparse averaging matrices (mid×V, out×mid) like GraphCMR's, and Dmap = D1·D0."""
    def averaging(rows, cols):
        r, c, v = [], [], []
        for i in range(rows):
            k = rng.integers(1, 4)
            idx = rng.choice(cols, size=k, replace=False)
            w = rng.random(k) + 0.2
            r += [i] * k
            c += list(idx)
            v += list(w / w.sum())
        return scipy.sparse.csr_matrix((v, (r, c)), shape=(rows, cols), dtype=np.float32)
    d0, d1 = averaging(mid, V), averaging(out, mid)
    dmap = torch.matmul(torch.tensor(d1.toarray()), torch.tensor(d0.toarray()))
    return d0, d1, dmap


def randomize(model, cfg, rng_torch, calibration):
    """Random weights scaled so activations stay O(1); BN statistics measured on `calibration`."""
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Conv1d, nn.Linear)):
                fan_in = m.weight[0].numel() if not isinstance(m, nn.ConvTranspose2d) \
                    else m.weight.shape[0] * 4  # each output of a 4×4/2 transposed conv sees 2×2 taps per input channel
                m.weight.normal_(0, (2.0 / fan_in) ** 0.5, generator=rng_torch)
                if m.bias is not None:
                    m.bias.normal_(0, 0.1, generator=rng_torch)
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=rng_torch)
                m.bias.normal_(0, 0.2, generator=rng_torch)
                if name.endswith('bn3') or name.endswith('downsample.1'):
                    m.weight.mul_(0.4)  # residual branches small, so depth does not blow activations up
                m.momentum = None       # cumulative average: one calibration pass sets the statistics
        for r in model.regressor:
            r.fc1.weight.mul_(0.5)
            r.fc2.weight.mul_(0.7)
            r.decpose.weight.mul_(0.25)
            r.decshape.weight.mul_(0.3)
            r.deccam.weight.mul_(0.04)
            r.decpose.bias.mul_(0.05)
            r.decshape.bias.mul_(0.1)
            r.deccam.bias.mul_(0.02)
        model.train()
        model.feature_extractor(calibration)
        f = model.feature_extractor(calibration)
        model.deconv_layers(f)
        model.eval()
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                # Not exactly the calibration statistics: eval must not equal train by construction.
                m.running_mean.add_(torch.randn(m.running_mean.shape, generator=rng_torch) * 0.05)
                m.running_var.mul_(torch.empty(m.running_var.shape).uniform_(0.8, 1.25, generator=rng_torch))
                # A floor keeps γ/√var moderate: near-dead channels would otherwise amplify float32
                # rounding far beyond what a trained network does.
                m.running_var.add_(0.1 * m.running_var.mean())
                m.num_batches_tracked.fill_(1000)


def state_dict_for_pymaf(model):
    """The model's state dict under PyMAF's key names (the SMPL layer's buffers directly under `smpl.`)."""
    out = collections.OrderedDict()
    for k, v in model.state_dict().items():
        out[k.replace('.smpl.inner.', '.smpl.')] = v
    return out


def check_manifest(state):
    expected = []
    with open(MANIFEST) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            key, shape, dtype = line.rstrip('\n').split('\t')
            expected.append((key, shape, dtype))
    got = [(k, str(tuple(v.shape)), str(v.dtype).replace('torch.', '')) for k, v in state.items()]
    if got != expected:
        missing = [e for e in expected if e not in got]
        extra = [g for g in got if g not in expected]
        raise SystemExit(f'state dict differs from the manifest: missing {missing[:5]} extra {extra[:5]}')
    print(f'state dict matches the manifest ({len(got)} keys)')


def smooth_inputs(n, generator):
    """Normalized crops with image-like structure (low-frequency colour + texture + noise), values
    rounded to 1/64 so the committed arrays compress."""
    low = F.interpolate(torch.randn(n, 3, 7, 7, generator=generator), size=(224, 224), mode='bilinear',
                        align_corners=False)
    mid = F.interpolate(torch.randn(n, 3, 28, 28, generator=generator), size=(224, 224), mode='bilinear',
                        align_corners=False)
    x = 1.2 * low + 0.5 * mid + 0.2 * torch.randn(n, 3, 224, 224, generator=generator)
    return (torch.round(x.clamp(-2.5, 2.5) * 64) / 64).float()


def write_data_dir(path, body, d0, d1, mean):
    """The body in PyMAF's data/ layout (as a Python-2-era SMPL pickle would hold it)."""
    os.makedirs(os.path.join(path, 'smpl'), exist_ok=True)
    smpl = {
        'v_template': body['v_template'].astype(np.float64),
        'shapedirs': body['shapedirs'].astype(np.float64),
        'posedirs': body['posedirs'].astype(np.float64),
        'J_regressor': scipy.sparse.csc_matrix(body['J_regressor'].astype(np.float64)),
        'weights': body['weights'].astype(np.float64),
        'kintree_table': body['kintree_table'],
        'f': body['f'].astype(np.uint32),
    }
    with open(os.path.join(path, 'smpl', 'SMPL_NEUTRAL.pkl'), 'wb') as f:
        pickle.dump(smpl, f, protocol=2)
    np.save(os.path.join(path, 'J_regressor_extra.npy'), body['J_regressor_extra'].astype(np.float64))
    np.savez(os.path.join(path, 'smpl_mean_params.npz'), pose=mean['pose'], shape=mean['shape'], cam=mean['cam'])
    empty = np.empty(2, dtype=object)
    ds = np.empty(2, dtype=object)
    ds[0], ds[1] = d0.tocsc(), d1.tocsc()
    empty[0], empty[1] = scipy.sparse.csc_matrix((1, 1)), scipy.sparse.csc_matrix((1, 1))
    np.savez(os.path.join(path, 'mesh_downsampling.npz'), A=empty, U=empty, D=ds)


def collect(iters):
    def theta(pose, shape, cam, rotmat):
        aa = ref.rotmat_to_axis_angle(rotmat.reshape(-1, 3, 3)).reshape(-1, 72)
        return torch.cat([cam, shape, aa], 1)
    return dict(
        theta_iters=torch.stack([theta(p, s, c, r) for p, s, c, r, _, _ in iters]),
        rotmat_iters=torch.stack([r for _, _, _, r, _, _ in iters]),
        verts_iters=torch.stack([v for _, _, _, _, v, _ in iters]),
        joints_iters=torch.stack([j for _, _, _, _, _, j in iters]),
    )


def time_model(model, x, path):
    torch.set_num_threads(2)
    lines = []
    with torch.no_grad():
        for batch in (1, 8):
            xb = x[:batch].contiguous() if x.shape[0] >= batch else x[:1].expand(batch, -1, -1, -1).contiguous()
            model(xb)
            samples = []
            for _ in range(5):
                t0 = time.perf_counter()
                model(xb)
                samples.append((time.perf_counter() - t0) * 1000 / batch)
            lines.append(f'batch {batch}: {float(np.median(samples)):.1f} ms/frame')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--size', choices=sorted(SIZES), default='small')
    parser.add_argument('--out', required=True)
    parser.add_argument('--time', action='store_true', help='also time PyTorch eager (2 threads)')
    args = parser.parse_args()
    cfg = SIZES[args.size]
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)

    rng = np.random.default_rng(2021)
    gen = torch.Generator().manual_seed(2021)
    body = ref.random_body(rng, cfg['V'], cfg['F'])
    if args.size == 'full':
        body['extra_idx'] = np.array(ref.SMPL_EXTRA_VERTICES, dtype=np.int64)
    d0, d1, dmap = random_downsampling(rng, cfg['V'], cfg['mid'])
    mean = random_mean(rng)
    model = PyMAFNet(cfg, body, dmap, mean)
    randomize(model, cfg, gen, smooth_inputs(8, gen))
    state = state_dict_for_pymaf(model)
    if args.size == 'full':
        check_manifest(state)

    x = smooth_inputs(cfg['N'], gen)
    with torch.no_grad():
        iters = model(x)
    out = collect(iters)
    spread = out['theta_iters'][-1].std(dim=0)
    print(f'final theta spread across inputs: cam {spread[:3].mean():.3f} betas {spread[3:13].mean():.3f} '
          f'pose {spread[13:].mean():.3f}')

    name = f'pymaf_{args.size}'
    checkpoint = {'model': state, 'epoch': 0}
    torch.save(checkpoint, os.path.join(args.out, f'{name}_zip.pt'))
    torch.save(checkpoint, os.path.join(args.out, f'{name}_legacy.pt'), _use_new_zipfile_serialization=False)
    arrays = {k: v.numpy().astype(np.float32) for k, v in out.items()}
    arrays['inputs'] = x.numpy()
    arrays['theta'] = arrays['theta_iters'][-1]
    arrays['pred_cam'] = arrays['theta_iters'][-1][:, :3]
    np.savez_compressed(os.path.join(args.out, f'{name}_io.npz'), **arrays)
    if args.size == 'full':
        np.save(os.path.join(args.out, f'{name}_inputs.npy'), x.numpy())   # for `pymaf-video regress`
    write_data_dir(os.path.join(args.out, f'data_{args.size}'), body, d0, d1, mean)
    for f in sorted(os.listdir(args.out)):
        p = os.path.join(args.out, f)
        if os.path.isfile(p):
            print(f'{f}: {os.path.getsize(p) / 1e6:.2f} MB')
    if args.time:
        time_model(model, x, os.path.join(args.out, f'bench_{args.size}_torch.txt'))


if __name__ == '__main__':
    main()
