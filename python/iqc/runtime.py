"""Run models compiled by iqc-compile from Python (ctypes, numpy).

    from iqc.runtime import Model
    m = Model("bert-tiny.so")
    print(m.inputs)            # [TensorInfo(name='input_ids', dtype=int64, ...), ...]
    out = m.run(input_ids=ids, attention_mask=mask)   # or m.run(ids, mask)
    out["logits"]              # numpy array

The library's C ABI is described in include/iqc/Runtime/iqc_runtime.h and
docs/CAPI.md. Inputs are passed as they are (made C-contiguous, never cast):
a wrong dtype or shape is reported by the model's own checks as IQCError.
Outputs are copied into numpy arrays and the model's buffers freed. A Model
may be used from several threads at once.
"""

import ctypes
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

IQC_ABI_VERSION = 1
IQC_MAX_RANK = 8
IQC_ERROR_MESSAGE_SIZE = 512

STATUS_NAMES = {
    0: "ok", 1: "invalid argument", 2: "dtype mismatch", 3: "shape mismatch",
    4: "value out of range", 5: "out of memory", 6: "ABI version mismatch",
}

# iqc_dtype (ONNX TensorProto codes) <-> numpy.
_DTYPES = {
    1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16,
    6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64,
    12: np.uint32, 13: np.uint64,
}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}


class _Tensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("owner", ctypes.c_void_p),
                ("shape", ctypes.c_int64 * IQC_MAX_RANK), ("rank", ctypes.c_int32),
                ("dtype", ctypes.c_int32)]


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32), ("dims", ctypes.POINTER(ctypes.c_int64)),
                ("dim_names", ctypes.POINTER(ctypes.c_char_p)),
                ("min_value", ctypes.c_int64), ("max_value", ctypes.c_int64),
                ("has_range", ctypes.c_int32), ("reserved", ctypes.c_int32)]


class _Model(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint32), ("num_inputs", ctypes.c_uint32),
                ("num_outputs", ctypes.c_uint32), ("reserved", ctypes.c_uint32),
                ("name", ctypes.c_char_p), ("inputs", ctypes.POINTER(_TensorInfo)),
                ("outputs", ctypes.POINTER(_TensorInfo)), ("invoke", ctypes.c_void_p)]


class _Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int32), ("message", ctypes.c_char * IQC_ERROR_MESSAGE_SIZE)]


class IQCError(RuntimeError):
    """A non-zero iqc_status with the model's message."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(f"{STATUS_NAMES.get(status, status)}: {message}")


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: np.dtype
    shape: Tuple[Optional[int], ...]   # None for a dynamic dim
    dim_names: Tuple[Optional[str], ...]
    value_range: Optional[Tuple[int, int]]  # accepted values (token ids)


def _info(i: _TensorInfo) -> TensorInfo:
    dims = tuple(None if i.dims[k] < 0 else int(i.dims[k]) for k in range(i.rank))
    names = tuple((i.dim_names[k].decode() if i.dim_names and i.dim_names[k] else None)
                  for k in range(i.rank))
    return TensorInfo(i.name.decode(), np.dtype(_DTYPES.get(i.dtype, np.void)), dims, names,
                      (int(i.min_value), int(i.max_value)) if i.has_range else None)


class Model:
    """A compiled model loaded from a shared library."""

    def __init__(self, path: str, name: Optional[str] = None):
        self._lib = ctypes.CDLL(path)
        getter = getattr(self._lib, f"{name}_model" if name else "iqc_default_model")
        getter.restype = ctypes.POINTER(_Model)
        getter.argtypes = []
        self._model = getter()
        m = self._model.contents
        if m.abi_version != IQC_ABI_VERSION:
            raise IQCError(6, f"library ABI {m.abi_version}, loader ABI {IQC_ABI_VERSION}")
        self.name = m.name.decode()
        self.inputs: List[TensorInfo] = [_info(m.inputs[k]) for k in range(m.num_inputs)]
        self.outputs: List[TensorInfo] = [_info(m.outputs[k]) for k in range(m.num_outputs)]
        self._run = self._lib.iqc_model_run
        self._run.restype = ctypes.c_int
        self._run.argtypes = [ctypes.POINTER(_Model), ctypes.POINTER(_Tensor), ctypes.c_size_t,
                              ctypes.POINTER(_Tensor), ctypes.c_size_t, ctypes.POINTER(_Error)]
        self._free = self._lib.iqc_tensor_free
        self._free.argtypes = [ctypes.POINTER(_Tensor)]
        self._free.restype = None

    def __repr__(self):
        return f"Model({self.name!r}, inputs={self.inputs}, outputs={self.outputs})"

    def run(self, *args: np.ndarray, **kwargs: np.ndarray) -> Dict[str, np.ndarray]:
        """Runs the model; inputs by position or by name. Returns {output name: array}."""
        if args and kwargs:
            raise TypeError("pass inputs either by position or by name")
        if kwargs:
            missing = [i.name for i in self.inputs if i.name not in kwargs]
            extra = sorted(set(kwargs) - {i.name for i in self.inputs})
            if missing or extra:
                raise TypeError(f"model {self.name!r} takes inputs "
                                f"{[i.name for i in self.inputs]}; missing {missing}, unknown {extra}")
            args = tuple(kwargs[i.name] for i in self.inputs)
        arrays = [np.ascontiguousarray(a) for a in args]
        inputs = (_Tensor * max(1, len(arrays)))()
        for t, a in zip(inputs, arrays):
            if a.ndim > IQC_MAX_RANK:
                raise IQCError(3, f"rank {a.ndim} exceeds the ABI's {IQC_MAX_RANK}")
            t.data = a.ctypes.data
            t.rank = a.ndim
            t.dtype = _CODES.get(a.dtype, 0)
            for k, d in enumerate(a.shape):
                t.shape[k] = d
        outputs = (_Tensor * max(1, len(self.outputs)))()
        err = _Error()
        status = self._run(self._model, inputs, len(arrays), outputs, len(self.outputs),
                           ctypes.byref(err))
        if status != 0:
            raise IQCError(status, err.message.decode(errors="replace"))
        result = {}
        for info, t in zip(self.outputs, outputs[:len(self.outputs)]):
            shape = tuple(t.shape[k] for k in range(t.rank))
            n = int(np.prod(shape, dtype=np.int64))
            dtype = np.dtype(_DTYPES[t.dtype])
            if n:
                buf = (ctypes.c_char * (n * dtype.itemsize)).from_address(t.data)
                arr = np.frombuffer(buf, dtype=dtype).reshape(shape).copy()
            else:
                arr = np.zeros(shape, dtype=dtype)
            self._free(ctypes.byref(t))
            result[info.name] = arr
        return result


def load(path: str, name: Optional[str] = None) -> Model:
    return Model(path, name)
