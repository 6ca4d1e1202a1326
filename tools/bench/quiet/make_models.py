#!/usr/bin/env python3
"""The browser benches' random-weight speech models, made where they run (tools/bench/quiet/run.sh):

    make_models.py OUT_DIR KIND    KIND: whisper-base (bench:load), whisper-tiny or moonshine-tiny (bench:latency)

writes OUT_DIR/<the folder run-bench.mjs looks for> with the q8 files the CPU benches load, by the fixtures'
generator (tools/fixtures/make_fixtures.py), as `npm run bench:latency` and tools/bench/gpu/make_whisper.py do.
A newer torch exports with dynamo by default; the fixtures' graphs are written for the TorchScript exporter, so
that is asked for (the same shim as make_whisper.py). No fp16 copies: WASM runs q8.
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', '..', 'fixtures'))
sys.path.insert(0, os.path.join(here, '..', 'gpu'))

FOLDERS = {
    'whisper-base': 'whisper-base-size-random',
    'whisper-tiny': 'whisper-tiny-size-random',
    'moonshine-tiny': 'moonshine-tiny-size-random',
}


def main():
    out, kind = sys.argv[1], sys.argv[2]
    import torch
    import make_fixtures as mf

    export = torch.onnx.export

    def legacy_export(*args, **kwargs):
        try:
            return export(*args, dynamo=False, **kwargs)
        except TypeError as error:
            if 'dynamo' not in str(error):
                raise
            return export(*args, **kwargs)

    torch.onnx.export = legacy_export
    started = time.time()
    folder = os.path.join(out, FOLDERS[kind])
    if kind == 'moonshine-tiny':
        mf.make_moonshine(folder, 'tiny')
    else:
        mf.make_whisper(folder, kind.split('-')[1])
    print(f'{kind}: {folder} in {time.time() - started:.0f} s (torch {torch.__version__})', flush=True)


if __name__ == '__main__':
    main()
