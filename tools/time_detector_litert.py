"""Times LiteRT (XNNPACK) on the BlazePose person detector over given input tensors, one thread:
prints `litert VERSION: MS ms/frame (cpu MS)` for pymaf-bench's tracking suite, which writes
the inputs (the letterboxed frames its own detector sees) and prints the ratio.

    python tools/time_detector_litert.py --model data/models/pose_detection.tflite \
        --inputs inputs.npy [--threads 1]

inputs.npy: float32 (N, 224, 224, 3), values in [-1, 1]. The figure is the median over 5 passes
(after one warm-up pass) of the mean time of one `invoke` per input.
"""
import argparse
import time
from importlib import metadata

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    inputs = np.load(args.inputs)
    interpreter = Interpreter(model_path=args.model, num_threads=args.threads)
    interpreter.allocate_tensors()
    index = interpreter.get_input_details()[0]["index"]

    def one_pass():
        wall, cpu = time.perf_counter(), time.thread_time()
        for x in inputs:
            interpreter.set_tensor(index, x[None])
            interpreter.invoke()
        return ((time.perf_counter() - wall) / len(inputs) * 1e3, (time.thread_time() - cpu) / len(inputs) * 1e3)

    one_pass()
    passes = sorted(one_pass() for _ in range(5))
    wall, cpu = passes[2]
    print(f"litert {metadata.version('ai-edge-litert')}: {wall:.2f} ms/frame (cpu {cpu:.2f})")


if __name__ == "__main__":
    main()
