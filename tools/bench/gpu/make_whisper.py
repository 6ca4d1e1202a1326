#!/usr/bin/env python3
"""A random Whisper of whisper-base's size (d 512, 6 + 6 layers, 8 heads, vocabulary 51865) for the GPU bench,
built by the fixtures' generator (tools/fixtures/make_fixtures.py: the same graphs as `npm run bench:asr`'s
whisper-tiny-size model, one size up), plus fp16 copies (`*_fp16.onnx`, inputs and outputs kept fp32).

    make_whisper.py OUT_DIR            (needs torch and onnx; writes OUT_DIR/whisper-base-size-random)
    make_whisper.py --fp16-only FOLDER (only the fp16 copies of an existing model)

Newer torch makes the dynamo exporter the default; the fixtures' graphs are written for the TorchScript one, so
that is asked for first, and the dynamo one (opset 18) only if it is gone.
"""
import json
import os
import sys


def to_fp16(folder):
    import onnx
    try:
        from onnxruntime.transformers.float16 import convert_float_to_float16
    except ImportError:
        # Debian packages no onnxruntime for Python; the CPU benches need only the q8 files.
        print('onnxruntime (Python) is missing: no fp16 files (the GPU bench needs them; the CPU benches do not)', flush=True)
        return
    for name in ('encoder_model', 'decoder_model_merged'):
        src = os.path.join(folder, 'onnx', f'{name}.onnx')
        half = convert_float_to_float16(onnx.load(src), keep_io_types=True, disable_shape_infer=True)
        onnx.save(half, os.path.join(folder, 'onnx', f'{name}_fp16.onnx'))


def main():
    if sys.argv[1] == '--fp16-only':
        to_fp16(sys.argv[2])
        return
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, '..', '..', 'fixtures'))
    sys.path.insert(0, here)  # the carried copy sits beside this file
    import torch
    import make_fixtures as mf

    export = torch.onnx.export

    def legacy_export(*args, **kwargs):
        try:
            return export(*args, dynamo=False, **kwargs)
        except TypeError as error:
            if 'dynamo' not in str(error):
                raise
            return export(*args, **kwargs)  # a torch older than the dynamo exporter: TorchScript is all it has
        except Exception as error:  # noqa: BLE001 (the TorchScript exporter is gone or failed: try the dynamo one)
            print(f'TorchScript export failed ({type(error).__name__}: {str(error)[:200]}); trying dynamo=True', flush=True)
            kwargs['opset_version'] = max(18, kwargs.get('opset_version', 18))
            return export(*args, dynamo=True, **kwargs)

    torch.onnx.export = legacy_export
    folder = os.path.join(sys.argv[1], 'whisper-base-size-random')
    mf.make_whisper(folder, 'base')
    to_fp16(folder)
    sizes = {f: os.path.getsize(os.path.join(folder, 'onnx', f)) for f in sorted(os.listdir(os.path.join(folder, 'onnx')))}
    print(json.dumps({'model': 'whisper-base-size-random', 'torch': torch.__version__, 'files': sizes}), flush=True)


if __name__ == '__main__':
    main()
