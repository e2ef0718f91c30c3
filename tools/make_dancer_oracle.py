"""Writes Tests/PersonTrackingTests/Fixtures/dancers_blue_torso.csv: per frame of
../shared/data/two_dancers_portrait.mp4, the centroid of the blue top one dancer wears
(largest blue blob, HSV hue 85–115, saturation > 90, value > 40, rows 500–1150, 5×5 opening;
empty when the blob is under 500 pixels). The tracking clip test uses it as an identity oracle;
the tracker itself never sees colour. Needs numpy, opencv-python and ffmpeg.
"""
import subprocess, sys, numpy as np, cv2
W, H = 720, 1280
path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/two_dancers_portrait.mp4"
out = sys.argv[2] if len(sys.argv) > 2 else "Tests/PersonTrackingTests/Fixtures/dancers_blue_torso.csv"
p = subprocess.Popen(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], stdout=subprocess.PIPE)
rows = ["frame,x,y"]
i = 0
while True:
    b = p.stdout.read(W * H * 3)
    if len(b) < W * H * 3: break
    f = np.frombuffer(b, np.uint8).reshape(H, W, 3)
    hsv = cv2.cvtColor(f, cv2.COLOR_RGB2HSV)
    m = ((hsv[..., 0] > 85) & (hsv[..., 0] < 115) & (hsv[..., 1] > 90) & (hsv[..., 2] > 40)).astype(np.uint8)
    m[:500] = 0; m[1150:] = 0
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, _, st, cen = cv2.connectedComponentsWithStats(m)
    k = 1 + int(np.argmax(st[1:, 4])) if n > 1 else None
    rows.append(f"{i},{cen[k][0]:.1f},{cen[k][1]:.1f}" if k is not None and st[k, 4] >= 500 else f"{i},,")
    i += 1
open(out, "w").write("\n".join(rows) + "\n")
print(i, "frames")
