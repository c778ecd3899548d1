/*===- iqc_runtime.h - C ABI of models compiled by iqc ------------*- C -*-===*\
|*                                                                            *|
|* A model compiled by iqc-compile exports, for its symbol prefix <p>:        *|
|*   const iqc_model *<p>_model(void);          -- metadata + entry point    *|
|*   iqc_status <p>_run(const iqc_tensor *inputs, size_t num_inputs,         *|
|*                      iqc_tensor *outputs, size_t num_outputs,             *|
|*                      iqc_error *error);                                    *|
|* and shared libraries also export iqc_default_model(), the same as          *|
|* <p>_model(), so generic loaders need not know the prefix.                  *|
|*                                                                            *|
|* Models hold no mutable global state: several threads may run one loaded    *|
|* model at the same time. See docs/CAPI.md.                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef IQC_RUNTIME_IQC_RUNTIME_H
#define IQC_RUNTIME_IQC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IQC_ABI_VERSION 1
/* Largest tensor rank the ABI carries. */
#define IQC_MAX_RANK 8
/* Size of the message buffer in iqc_error. */
#define IQC_ERROR_MESSAGE_SIZE 512

/* Status codes returned by every entry point. */
typedef enum iqc_status {
  IQC_OK = 0,
  IQC_INVALID_ARGUMENT = 1, /* null pointer, wrong tensor count */
  IQC_DTYPE_MISMATCH = 2,   /* input element type differs from the model's */
  IQC_SHAPE_MISMATCH = 3,   /* wrong rank, static dim or inconsistent dims */
  IQC_VALUE_OUT_OF_RANGE = 4, /* e.g. a token id outside the embedding */
  IQC_OUT_OF_MEMORY = 5,
  IQC_ABI_MISMATCH = 6      /* model built for another ABI version */
} iqc_status;

/* Element types; the values are ONNX TensorProto.DataType codes. */
typedef enum iqc_dtype {
  IQC_FLOAT32 = 1,
  IQC_UINT8 = 2,
  IQC_INT8 = 3,
  IQC_UINT16 = 4,
  IQC_INT16 = 5,
  IQC_INT32 = 6,
  IQC_INT64 = 7,
  IQC_BOOL = 9, /* one byte per element, 0 or 1 */
  IQC_FLOAT16 = 10,
  IQC_FLOAT64 = 11,
  IQC_UINT32 = 12,
  IQC_UINT64 = 13,
  IQC_BFLOAT16 = 16
} iqc_dtype;

/* A dense row-major tensor. For inputs the caller owns `data`. For outputs
 * the model allocates `data` and sets `owner`; release it with
 * iqc_tensor_free(). */
typedef struct iqc_tensor {
  void *data;
  void *owner; /* allocation backing an output; NULL for caller-owned data */
  int64_t shape[IQC_MAX_RANK];
  int32_t rank;
  int32_t dtype; /* iqc_dtype */
} iqc_tensor;

/* Describes one model input or output. dims[i] is -1 for a dimension known
 * only at run time; dim_names[i] then names it (NULL if unnamed). Inputs
 * sharing a dim name must agree on its size at run time. */
typedef struct iqc_tensor_info {
  const char *name;
  int32_t dtype;
  int32_t rank;
  const int64_t *dims;
  const char *const *dim_names;
  /* For integer inputs that index a table (token ids): the accepted range,
   * inclusive. has_range is 0 when any value is accepted. */
  int64_t min_value;
  int64_t max_value;
  int32_t has_range;
  int32_t reserved;
} iqc_tensor_info;

typedef struct iqc_error {
  int32_t status; /* iqc_status */
  char message[IQC_ERROR_MESSAGE_SIZE];
} iqc_error;

/* A compiled model: static, read-only metadata plus the code to run. */
typedef struct iqc_model {
  uint32_t abi_version; /* IQC_ABI_VERSION */
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t reserved;
  const char *name;
  const iqc_tensor_info *inputs;
  const iqc_tensor_info *outputs;
  /* Internal: calls the compiled function on memref descriptors. */
  void (*invoke)(void *results, void **args);
} iqc_model;

/* Validates the inputs against the model's metadata, runs the model and
 * fills `outputs` (num_outputs entries, overwritten). On failure returns a
 * non-zero status, describes it in *error (when not NULL) and leaves no
 * output allocated. Thread-safe. */
iqc_status iqc_model_run(const iqc_model *model, const iqc_tensor *inputs,
                         size_t num_inputs, iqc_tensor *outputs,
                         size_t num_outputs, iqc_error *error);

/* Frees an output tensor's data (no-op for NULL or caller-owned data). */
void iqc_tensor_free(iqc_tensor *tensor);

/* Number of elements, and bytes per element of a dtype (0 if unknown). */
int64_t iqc_tensor_num_elements(const iqc_tensor *tensor);
size_t iqc_dtype_size(int32_t dtype);
const char *iqc_dtype_name(int32_t dtype);
const char *iqc_status_string(iqc_status status);

#ifdef __cplusplus
}
#endif

#endif /* IQC_RUNTIME_IQC_RUNTIME_H */
