/*===- iqc_runtime.c - Run-time support of models compiled by iqc ---------===*\
|*                                                                            *|
|* Checks caller tensors against a model's metadata, passes them to the       *|
|* compiled code as MLIR memref descriptors and hands the results back as     *|
|* iqc_tensors. Linked into every compiled shared library (and into programs  *|
|* that link compiled objects), so it depends on libc only and keeps no       *|
|* global mutable state.                                                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "iqc/Runtime/iqc_runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IQC_HIDDEN __attribute__((visibility("hidden")))

/* Allocated pointer that MLIR gives memrefs of constant globals. */
#define IQC_GLOBAL_SENTINEL ((void *)(uintptr_t)0xdeadbeef)

size_t iqc_dtype_size(int32_t dtype) {
  switch (dtype) {
  case IQC_UINT8: case IQC_INT8: case IQC_BOOL: return 1;
  case IQC_UINT16: case IQC_INT16: case IQC_FLOAT16: case IQC_BFLOAT16:
    return 2;
  case IQC_FLOAT32: case IQC_INT32: case IQC_UINT32: return 4;
  case IQC_INT64: case IQC_UINT64: case IQC_FLOAT64: return 8;
  default: return 0;
  }
}

const char *iqc_dtype_name(int32_t dtype) {
  switch (dtype) {
  case IQC_FLOAT32: return "float32";
  case IQC_UINT8: return "uint8";
  case IQC_INT8: return "int8";
  case IQC_UINT16: return "uint16";
  case IQC_INT16: return "int16";
  case IQC_INT32: return "int32";
  case IQC_INT64: return "int64";
  case IQC_BOOL: return "bool";
  case IQC_FLOAT16: return "float16";
  case IQC_FLOAT64: return "float64";
  case IQC_UINT32: return "uint32";
  case IQC_UINT64: return "uint64";
  case IQC_BFLOAT16: return "bfloat16";
  default: return "unknown";
  }
}

const char *iqc_status_string(iqc_status status) {
  switch (status) {
  case IQC_OK: return "ok";
  case IQC_INVALID_ARGUMENT: return "invalid argument";
  case IQC_DTYPE_MISMATCH: return "dtype mismatch";
  case IQC_SHAPE_MISMATCH: return "shape mismatch";
  case IQC_VALUE_OUT_OF_RANGE: return "value out of range";
  case IQC_OUT_OF_MEMORY: return "out of memory";
  case IQC_ABI_MISMATCH: return "ABI version mismatch";
  }
  return "unknown status";
}

int64_t iqc_tensor_num_elements(const iqc_tensor *t) {
  int64_t n = 1;
  if (!t)
    return 0;
  for (int32_t i = 0; i < t->rank && i < IQC_MAX_RANK; ++i)
    n *= t->shape[i];
  return n;
}

void iqc_tensor_free(iqc_tensor *t) {
  if (!t)
    return;
  free(t->owner);
  t->owner = NULL;
  t->data = NULL;
}

static iqc_status fail(iqc_error *error, iqc_status status, const char *fmt,
                       ...) {
  if (error) {
    va_list ap;
    va_start(ap, fmt);
    error->status = status;
    vsnprintf(error->message, sizeof(error->message), fmt, ap);
    va_end(ap);
  }
  return status;
}

/* Formats a shape as "[1, ?, 80]" into buf. */
static const char *shape_str(char *buf, size_t size, const int64_t *dims,
                             int32_t rank) {
  size_t n = 0;
  n += snprintf(buf + n, size - n, "[");
  for (int32_t i = 0; i < rank && n < size; ++i) {
    if (dims[i] < 0)
      n += snprintf(buf + n, size - n, "%s?", i ? ", " : "");
    else
      n += snprintf(buf + n, size - n, "%s%lld", i ? ", " : "",
                    (long long)dims[i]);
  }
  if (n < size)
    snprintf(buf + n, size - n, "]");
  return buf;
}

static int64_t load_int(const void *data, int32_t dtype, int64_t i) {
  switch (dtype) {
  case IQC_INT8: return ((const int8_t *)data)[i];
  case IQC_UINT8: return ((const uint8_t *)data)[i];
  case IQC_INT16: return ((const int16_t *)data)[i];
  case IQC_UINT16: return ((const uint16_t *)data)[i];
  case IQC_INT32: return ((const int32_t *)data)[i];
  case IQC_UINT32: return ((const uint32_t *)data)[i];
  default: return ((const int64_t *)data)[i];
  }
}

static iqc_status check_inputs(const iqc_model *m, const iqc_tensor *inputs,
                               iqc_error *error) {
  char expected[160], got[160];
  for (uint32_t i = 0; i < m->num_inputs; ++i) {
    const iqc_tensor_info *info = &m->inputs[i];
    const iqc_tensor *t = &inputs[i];
    if (t->dtype != info->dtype)
      return fail(error, IQC_DTYPE_MISMATCH,
                  "input '%s' (#%u): expected dtype %s, got %s", info->name, i,
                  iqc_dtype_name(info->dtype), iqc_dtype_name(t->dtype));
    if (t->rank != info->rank)
      return fail(error, IQC_SHAPE_MISMATCH,
                  "input '%s' (#%u): expected rank %d %s, got rank %d",
                  info->name, i, info->rank,
                  shape_str(expected, sizeof expected, info->dims, info->rank),
                  t->rank);
    for (int32_t d = 0; d < t->rank; ++d) {
      int64_t size = t->shape[d];
      if (size < 0)
        return fail(error, IQC_SHAPE_MISMATCH,
                    "input '%s' (#%u): dim %d has negative size %lld",
                    info->name, i, d, (long long)size);
      if (info->dims[d] >= 0 && info->dims[d] != size)
        return fail(error, IQC_SHAPE_MISMATCH,
                    "input '%s' (#%u): expected shape %s, got %s", info->name,
                    i, shape_str(expected, sizeof expected, info->dims, info->rank),
                    shape_str(got, sizeof got, t->shape, t->rank));
      const char *dn = info->dim_names ? info->dim_names[d] : NULL;
      if (!dn || info->dims[d] >= 0)
        continue;
      /* Every earlier occurrence of the same dim name must agree. */
      for (uint32_t j = 0; j <= i; ++j) {
        const iqc_tensor_info *oj = &m->inputs[j];
        if (!oj->dim_names)
          continue;
        for (int32_t e = 0; e < oj->rank; ++e) {
          if (j == i && e >= d)
            break;
          if (!oj->dim_names[e] || strcmp(oj->dim_names[e], dn) != 0)
            continue;
          if (inputs[j].shape[e] != size)
            return fail(error, IQC_SHAPE_MISMATCH,
                        "input '%s' (#%u): dim %d ('%s') is %lld but input "
                        "'%s' has %lld for it",
                        info->name, i, d, dn, (long long)size, oj->name,
                        (long long)inputs[j].shape[e]);
        }
      }
    }
    int64_t n = iqc_tensor_num_elements(t);
    if (n > 0 && !t->data)
      return fail(error, IQC_INVALID_ARGUMENT,
                  "input '%s' (#%u): data is NULL", info->name, i);
    if (info->has_range) {
      for (int64_t k = 0; k < n; ++k) {
        int64_t v = load_int(t->data, t->dtype, k);
        if (v < info->min_value || v > info->max_value)
          return fail(error, IQC_VALUE_OUT_OF_RANGE,
                      "input '%s' (#%u): value %lld at flat index %lld is "
                      "outside the accepted range [%lld, %lld]",
                      info->name, i, (long long)v, (long long)k,
                      (long long)info->min_value, (long long)info->max_value);
      }
    }
  }
  return IQC_OK;
}

/* Copies a strided n-D block into a dense row-major destination. */
static void strided_copy(char *dst, const char *src, const int64_t *sizes,
                         const int64_t *strides, int32_t rank,
                         size_t elem_size) {
  if (rank == 0) {
    memcpy(dst, src, elem_size);
    return;
  }
  int64_t inner = 1;
  for (int32_t i = 1; i < rank; ++i)
    inner *= sizes[i];
  for (int64_t i = 0; i < sizes[0]; ++i)
    strided_copy(dst + (size_t)(i * inner) * elem_size,
                 src + (size_t)(i * strides[0]) * elem_size, sizes + 1,
                 strides + 1, rank - 1, elem_size);
}

static int is_dense(const int64_t *sizes, const int64_t *strides,
                    int32_t rank) {
  int64_t expect = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != expect)
      return 0;
    expect *= sizes[i];
  }
  return 1;
}

iqc_status iqc_model_run(const iqc_model *m, const iqc_tensor *inputs,
                         size_t num_inputs, iqc_tensor *outputs,
                         size_t num_outputs, iqc_error *error) {
  if (error) {
    error->status = IQC_OK;
    error->message[0] = 0;
  }
  if (!m)
    return fail(error, IQC_INVALID_ARGUMENT, "model is NULL");
  if (m->abi_version != IQC_ABI_VERSION)
    return fail(error, IQC_ABI_MISMATCH,
                "model '%s' was built for ABI version %u, this runtime is %u",
                m->name, m->abi_version, IQC_ABI_VERSION);
  if (num_inputs != m->num_inputs)
    return fail(error, IQC_INVALID_ARGUMENT,
                "model '%s' takes %u inputs, got %zu", m->name, m->num_inputs,
                num_inputs);
  if (num_outputs != m->num_outputs)
    return fail(error, IQC_INVALID_ARGUMENT,
                "model '%s' has %u outputs, got room for %zu", m->name,
                m->num_outputs, num_outputs);
  if (num_inputs && !inputs)
    return fail(error, IQC_INVALID_ARGUMENT, "inputs is NULL");
  if (num_outputs && !outputs)
    return fail(error, IQC_INVALID_ARGUMENT, "outputs is NULL");
  iqc_status st = check_inputs(m, inputs, error);
  if (st != IQC_OK)
    return st;

  /* Memref descriptors: {allocated, aligned, offset, sizes[r], strides[r]},
   * all 8-byte words. */
  size_t in_words = 0, out_words = 0;
  for (uint32_t i = 0; i < m->num_inputs; ++i)
    in_words += 3 + 2 * (size_t)m->inputs[i].rank;
  for (uint32_t i = 0; i < m->num_outputs; ++i)
    out_words += 3 + 2 * (size_t)m->outputs[i].rank;
  int64_t *in_desc = calloc(in_words + 1, sizeof(int64_t));
  int64_t *out_desc = calloc(out_words + 1, sizeof(int64_t));
  void **args = calloc(m->num_inputs + 1, sizeof(void *));
  if (!in_desc || !out_desc || !args) {
    free(in_desc);
    free(out_desc);
    free(args);
    return fail(error, IQC_OUT_OF_MEMORY, "out of memory");
  }
  int64_t *p = in_desc;
  for (uint32_t i = 0; i < m->num_inputs; ++i) {
    const iqc_tensor *t = &inputs[i];
    int32_t r = t->rank;
    args[i] = p;
    void *data = t->data;
    memcpy(&p[0], &data, sizeof data);
    memcpy(&p[1], &data, sizeof data);
    p[2] = 0;
    int64_t stride = 1;
    for (int32_t d = r - 1; d >= 0; --d) {
      p[3 + d] = t->shape[d];
      p[3 + r + d] = stride;
      stride *= t->shape[d];
    }
    p += 3 + 2 * r;
  }

  m->invoke(out_desc, args);

  /* Take ownership of the results. A result is a fresh model allocation
   * unless its memory is a constant (sentinel), an input, or a buffer that an
   * earlier result already returned; those, and non-dense results, are
   * copied. */
  st = IQC_OK;
  p = out_desc;
  for (uint32_t i = 0; i < m->num_outputs; ++i) {
    const iqc_tensor_info *info = &m->outputs[i];
    int32_t r = info->rank;
    void *allocated, *aligned;
    memcpy(&allocated, &p[0], sizeof allocated);
    memcpy(&aligned, &p[1], sizeof aligned);
    int64_t offset = p[2];
    const int64_t *sizes = &p[3], *strides = &p[3 + r];
    size_t es = iqc_dtype_size(info->dtype);
    iqc_tensor *o = &outputs[i];
    memset(o, 0, sizeof *o);
    o->rank = r;
    o->dtype = info->dtype;
    int64_t n = 1;
    for (int32_t d = 0; d < r; ++d) {
      o->shape[d] = sizes[d];
      n *= sizes[d];
    }
    char *src = (char *)aligned + (size_t)offset * es;
    int fresh = allocated != IQC_GLOBAL_SENTINEL && allocated != NULL;
    for (uint32_t j = 0; fresh && j < m->num_inputs; ++j)
      if (allocated == inputs[j].data)
        fresh = 0;
    const int64_t *q = out_desc;
    for (uint32_t j = 0; fresh && j < i; ++j) {
      if (memcmp(&q[0], &p[0], sizeof(void *)) == 0)
        fresh = 0;
      q += 3 + 2 * m->outputs[j].rank;
    }
    if (fresh && is_dense(sizes, strides, r)) {
      o->owner = allocated;
      o->data = src;
    } else {
      void *copy = st == IQC_OK ? malloc(n > 0 ? (size_t)n * es : 1) : NULL;
      if (copy && n > 0)
        strided_copy(copy, src, sizes, strides, r, es);
      o->owner = copy;
      o->data = copy;
      if (fresh)
        free(allocated);
      if (!copy && st == IQC_OK)
        st = fail(error, IQC_OUT_OF_MEMORY,
                  "out of memory copying output '%s'", info->name);
    }
    p += 3 + 2 * r;
  }
  if (st != IQC_OK)
    for (uint32_t i = 0; i < m->num_outputs; ++i)
      iqc_tensor_free(&outputs[i]);
  free(in_desc);
  free(out_desc);
  free(args);
  return st;
}

/* MLIR's memref.copy lowering calls this for non-contiguous copies. It
 * mirrors the signature of mlir_c_runner_utils' memrefCopy. */
typedef struct {
  int64_t rank;
  void *descriptor;
} iqc_unranked_memref;

IQC_HIDDEN void memrefCopy(int64_t elem_size, iqc_unranked_memref *src,
                           iqc_unranked_memref *dst) {
  int64_t rank = src->rank;
  int64_t *s = src->descriptor, *d = dst->descriptor;
  char *sp, *dp;
  memcpy(&sp, &s[1], sizeof sp);
  memcpy(&dp, &d[1], sizeof dp);
  sp += s[2] * elem_size;
  dp += d[2] * elem_size;
  const int64_t *sizes = &s[3], *sstr = &s[3 + rank], *dstr = &d[3 + rank];
  if (rank == 0) {
    memcpy(dp, sp, (size_t)elem_size);
    return;
  }
  int64_t total = 1;
  for (int64_t i = 0; i < rank; ++i)
    total *= sizes[i];
  if (total == 0)
    return;
  int64_t idx[IQC_MAX_RANK * 4] = {0};
  if (rank > IQC_MAX_RANK * 4)
    abort();
  for (int64_t n = 0; n < total; ++n) {
    int64_t so = 0, dof = 0;
    for (int64_t i = 0; i < rank; ++i) {
      so += idx[i] * sstr[i];
      dof += idx[i] * dstr[i];
    }
    memcpy(dp + dof * elem_size, sp + so * elem_size, (size_t)elem_size);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++idx[i] < sizes[i])
        break;
      idx[i] = 0;
    }
  }
}
