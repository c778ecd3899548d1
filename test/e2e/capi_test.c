/* Tests of the C ABI of a compiled model (BERT-tiny, linked statically via
 * iqc_add_model): metadata, dynamic batch/sequence, every input-validation
 * error, and concurrent calls from several threads on one model. Expected
 * statuses and shapes come from iqc_runtime.h's contract and the model's
 * ONNX signature. Prints "ok"/"not ok" per check; exits 1 on any failure. */
#include "bert_tiny.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (cond) {                                                                \
      printf("ok - ");                                                         \
    } else {                                                                   \
      printf("not ok - ");                                                     \
      ++failures;                                                              \
    }                                                                          \
    printf(__VA_ARGS__);                                                       \
    printf("\n");                                                              \
  } while (0)

enum { VOCAB = 1000 }; /* the bundled bert-tiny's vocabulary size */

static void make_inputs(iqc_tensor in[2], int64_t *ids, int64_t *mask,
                        int64_t batch, int64_t seq, unsigned seed) {
  for (int64_t i = 0; i < batch * seq; ++i) {
    seed = seed * 1103515245u + 12345u;
    ids[i] = (seed >> 8) % VOCAB;
    mask[i] = (i % seq) < seq - (i / seq) ? 1 : 0; /* ragged padding */
  }
  memset(in, 0, 2 * sizeof(iqc_tensor));
  in[0] = (iqc_tensor){.data = ids, .shape = {batch, seq}, .rank = 2,
                       .dtype = IQC_INT64};
  in[1] = (iqc_tensor){.data = mask, .shape = {batch, seq}, .rank = 2,
                       .dtype = IQC_INT64};
}

static iqc_status run(iqc_tensor *in, iqc_tensor *out, iqc_error *err) {
  return bert_tiny_run(in, 2, out, 2, err);
}

static int contains(const char *s, const char *sub) {
  return strstr(s, sub) != NULL;
}

/* Concurrency: each thread runs several shapes repeatedly and compares with
 * the single-threaded result computed beforehand. */
enum { THREADS = 4, ROUNDS = 6 };
static const int64_t seqs[3] = {5, 16, 33};
static float *reference[3];
static size_t reference_bytes[3];

static void *worker(void *arg) {
  long tid = (long)arg;
  int64_t ids[2 * 33], mask[2 * 33];
  for (int r = 0; r < ROUNDS; ++r) {
    int k = (int)((tid + r) % 3);
    iqc_tensor in[2], out[2];
    iqc_error err;
    make_inputs(in, ids, mask, 2, seqs[k], 7u + k);
    if (run(in, out, &err) != IQC_OK)
      return (void *)1;
    int same = memcmp(out[0].data, reference[k], reference_bytes[k]) == 0;
    iqc_tensor_free(&out[0]);
    iqc_tensor_free(&out[1]);
    if (!same)
      return (void *)2;
  }
  return NULL;
}

int main(void) {
  const iqc_model *m = bert_tiny_model();
  CHECK(m && m->abi_version == IQC_ABI_VERSION, "model metadata available");
  CHECK(m->num_inputs == 2 && m->num_outputs == 2, "2 inputs, 2 outputs");
  CHECK(!strcmp(m->inputs[0].name, "input_ids") &&
            !strcmp(m->inputs[1].name, "attention_mask"),
        "input names");
  CHECK(m->inputs[0].dtype == IQC_INT64 && m->inputs[0].rank == 2 &&
            m->inputs[0].dims[0] == -1 && m->inputs[0].dims[1] == -1,
        "input_ids is int64 [?, ?]");
  CHECK(m->inputs[0].dim_names && !strcmp(m->inputs[0].dim_names[0], "batch") &&
            !strcmp(m->inputs[0].dim_names[1], "sequence"),
        "dynamic dims are named batch and sequence");
  CHECK(m->inputs[0].has_range && m->inputs[0].min_value == -VOCAB &&
            m->inputs[0].max_value == VOCAB - 1,
        "input_ids range is the embedding table [-%d, %d]", VOCAB, VOCAB - 1);
  CHECK(!strcmp(m->outputs[0].name, "last_hidden_state") &&
            m->outputs[0].rank == 3 && m->outputs[0].dims[2] == 128,
        "last_hidden_state is [?, ?, 128]");
  CHECK(!strcmp(m->outputs[1].name, "logits") && m->outputs[1].dims[1] == 2,
        "logits is [?, 2]");

  int64_t ids[3 * 40], mask[3 * 40];
  iqc_tensor in[2], out[2];
  iqc_error err;

  /* Two sequence lengths and batch sizes through the same code. */
  int64_t shapes[3][2] = {{1, 8}, {3, 17}, {2, 40}};
  for (int s = 0; s < 3; ++s) {
    make_inputs(in, ids, mask, shapes[s][0], shapes[s][1], 1);
    iqc_status st = run(in, out, &err);
    CHECK(st == IQC_OK && out[0].rank == 3 &&
              out[0].shape[0] == shapes[s][0] &&
              out[0].shape[1] == shapes[s][1] && out[0].shape[2] == 128 &&
              out[1].shape[0] == shapes[s][0] && out[1].shape[1] == 2 &&
              out[0].dtype == IQC_FLOAT32 && out[0].owner,
          "batch %lld seq %lld runs and returns the right shapes",
          (long long)shapes[s][0], (long long)shapes[s][1]);
    if (st == IQC_OK) {
      iqc_tensor_free(&out[0]);
      iqc_tensor_free(&out[1]);
      CHECK(out[0].data == NULL && out[0].owner == NULL,
            "iqc_tensor_free clears the tensor");
    }
  }

  /* Wrong dtype. */
  make_inputs(in, ids, mask, 1, 8, 1);
  in[1].dtype = IQC_INT32;
  iqc_status st = run(in, out, &err);
  CHECK(st == IQC_DTYPE_MISMATCH && err.status == (int32_t)st &&
            contains(err.message, "attention_mask") &&
            contains(err.message, "int64") && contains(err.message, "int32"),
        "wrong dtype -> IQC_DTYPE_MISMATCH: %s", err.message);

  /* Wrong rank. */
  make_inputs(in, ids, mask, 1, 8, 1);
  in[0].rank = 3;
  in[0].shape[2] = 1;
  st = run(in, out, &err);
  CHECK(st == IQC_SHAPE_MISMATCH && contains(err.message, "input_ids") &&
            contains(err.message, "rank"),
        "wrong rank -> IQC_SHAPE_MISMATCH: %s", err.message);

  /* Inconsistent named dims. */
  make_inputs(in, ids, mask, 1, 8, 1);
  in[1].shape[1] = 7;
  st = run(in, out, &err);
  CHECK(st == IQC_SHAPE_MISMATCH && contains(err.message, "sequence") &&
            contains(err.message, "attention_mask"),
        "sequence 8 vs 7 -> IQC_SHAPE_MISMATCH: %s", err.message);

  /* Negative dim. */
  make_inputs(in, ids, mask, 1, 8, 1);
  in[0].shape[0] = -2;
  st = run(in, out, &err);
  CHECK(st == IQC_SHAPE_MISMATCH, "negative dim -> IQC_SHAPE_MISMATCH: %s",
        err.message);

  /* Token id outside the embedding table. */
  make_inputs(in, ids, mask, 1, 8, 1);
  ids[3] = VOCAB;
  st = run(in, out, &err);
  CHECK(st == IQC_VALUE_OUT_OF_RANGE && contains(err.message, "input_ids") &&
            contains(err.message, "1000"),
        "token id %d -> IQC_VALUE_OUT_OF_RANGE: %s", VOCAB, err.message);

  /* Null pointers and counts. */
  make_inputs(in, ids, mask, 1, 8, 1);
  st = bert_tiny_run(NULL, 2, out, 2, &err);
  CHECK(st == IQC_INVALID_ARGUMENT, "NULL inputs -> IQC_INVALID_ARGUMENT: %s",
        err.message);
  st = bert_tiny_run(in, 2, NULL, 2, &err);
  CHECK(st == IQC_INVALID_ARGUMENT, "NULL outputs -> IQC_INVALID_ARGUMENT: %s",
        err.message);
  st = bert_tiny_run(in, 1, out, 2, &err);
  CHECK(st == IQC_INVALID_ARGUMENT && contains(err.message, "takes 2 inputs"),
        "1 input -> IQC_INVALID_ARGUMENT: %s", err.message);
  in[0].data = NULL;
  st = bert_tiny_run(in, 2, out, 2, &err);
  CHECK(st == IQC_INVALID_ARGUMENT && contains(err.message, "NULL"),
        "NULL data -> IQC_INVALID_ARGUMENT: %s", err.message);
  st = iqc_model_run(NULL, in, 2, out, 2, NULL);
  CHECK(st == IQC_INVALID_ARGUMENT, "NULL model and NULL error pointer");

  /* Concurrency. */
  for (int k = 0; k < 3; ++k) {
    make_inputs(in, ids, mask, 2, seqs[k], 7u + k);
    if (run(in, out, &err) != IQC_OK) {
      CHECK(0, "reference run: %s", err.message);
      return 1;
    }
    reference_bytes[k] = (size_t)iqc_tensor_num_elements(&out[0]) * 4;
    reference[k] = malloc(reference_bytes[k]);
    memcpy(reference[k], out[0].data, reference_bytes[k]);
    iqc_tensor_free(&out[0]);
    iqc_tensor_free(&out[1]);
  }
  pthread_t threads[THREADS];
  for (long t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)t);
  int bad = 0;
  for (int t = 0; t < THREADS; ++t) {
    void *r;
    pthread_join(threads[t], &r);
    bad += r != NULL;
  }
  CHECK(bad == 0,
        "%d threads x %d runs on one model match the single-threaded outputs "
        "bit-exactly",
        THREADS, ROUNDS);
  for (int k = 0; k < 3; ++k)
    free(reference[k]);

  printf("%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
