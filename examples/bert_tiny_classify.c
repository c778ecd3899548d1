/* Classifies a token sequence with the bundled BERT-tiny model, compiled at
 * build time by iqc_add_model() (see CMakeLists.txt):
 *
 *   bert-tiny-classify [token ids...]
 *
 * Without arguments it uses a fixed 8-token sequence. */
#include "bert_tiny.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  const iqc_model *model = bert_tiny_model();
  printf("model %s: %u inputs, %u outputs\n", model->name, model->num_inputs,
         model->num_outputs);
  for (uint32_t i = 0; i < model->num_inputs; ++i)
    printf("  input %u: %s (%s, rank %d)\n", i, model->inputs[i].name,
           iqc_dtype_name(model->inputs[i].dtype), model->inputs[i].rank);

  int64_t default_ids[] = {101, 592, 10, 288, 999, 23, 3, 102};
  int64_t n = argc > 1 ? argc - 1 : 8;
  int64_t *ids = malloc(sizeof(int64_t) * n);
  int64_t *mask = malloc(sizeof(int64_t) * n);
  for (int64_t i = 0; i < n; ++i) {
    ids[i] = argc > 1 ? strtoll(argv[i + 1], NULL, 10) : default_ids[i];
    mask[i] = 1;
  }
  iqc_tensor inputs[2] = {
      {.data = ids, .shape = {1, n}, .rank = 2, .dtype = IQC_INT64},
      {.data = mask, .shape = {1, n}, .rank = 2, .dtype = IQC_INT64}};
  iqc_tensor outputs[BERT_TINY_NUM_OUTPUTS];
  iqc_error error;
  iqc_status status =
      bert_tiny_run(inputs, 2, outputs, BERT_TINY_NUM_OUTPUTS, &error);
  if (status != IQC_OK) {
    fprintf(stderr, "error (%s): %s\n", iqc_status_string(status),
            error.message);
    return 1;
  }
  const float *logits = outputs[1].data;
  printf("logits: [%.6f, %.6f] -> class %d\n", logits[0], logits[1],
         logits[1] > logits[0]);
  for (int i = 0; i < BERT_TINY_NUM_OUTPUTS; ++i)
    iqc_tensor_free(&outputs[i]);
  free(ids);
  free(mask);
  return 0;
}
