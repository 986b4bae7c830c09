// Token-level cross-entropy over the output layer's [N, V] scores straight from the logits, with JoeyNMT's
// label smoothing (see src-main/core/train/loss.ts for the formula), and its gradient. Op by op, the
// loss reads and writes [N, V] arrays about ten times forward and backward (log-softmax, a gather over
// the flattened log-probabilities and its scatter, the sum over the vocabulary and its broadcast);
// these read the logits once forward and write the gradient once backward, keeping only a
// log-sum-exp per row in between.
//
// crossEntropy: lse = log Σ exp(X); nll = lse - X[gold]; loss = the smoothed KL (nll where smoothing is 0)
// crossEntropyGrad: dX = (dLoss + dNll)·softmax(X) - dLoss·q - dNll·onehot(gold), q the smoothed target
// Their arguments and shapes: native/README.md.
#include <math.h>
#include <stdio.h>

#include "addon.h"

typedef struct {
  float keep, spread, entropy; // q_gold = keep, q_other = spread; entropy of q (a constant per token)
} smoothing_t;

static smoothing_t smoothing_of(double eps, size_t V) {
  smoothing_t s = {1.0f, 0.0f, 0.0f};
  if (eps <= 0.0 || V <= 2) return s;
  s.keep = (float)(1.0 - eps);
  s.spread = (float)(eps / (double)(V - 2));
  s.entropy = (float)(-((1.0 - eps) * log(1.0 - eps) + eps * log(eps / (double)(V - 2))));
  return s;
}

static void forward_rows(size_t N, size_t V, const float *restrict X, const int32_t *restrict gold, size_t pad,
                         smoothing_t q, float *restrict loss, float *restrict nll, float *restrict lse) {
  for (size_t r = 0; r < N; r++) {
    const float *x = X + r * V;
    float m = -INFINITY;
    for (size_t j = 0; j < V; j++) m = fmaxf(m, x[j]);
    float s = 0.0f, sum_x = 0.0f;
    for (size_t j = 0; j < V; j++) {
      s += expf(x[j] - m);
      sum_x += x[j];
    }
    const float l = m + logf(s);
    const float gold_lp = x[gold[r]] - l;
    lse[r] = l;
    nll[r] = -gold_lp;
    if (q.spread == 0.0f) {
      loss[r] = -gold_lp;
      continue;
    }
    // -Σ q_v log p_v with q_v = spread for v ∉ {gold, pad}: the sum over all log-probabilities less
    // the pad's and the gold's.
    const float all_lp = sum_x - (float)V * l, pad_lp = x[pad] - l;
    loss[r] = -(q.keep * gold_lp + q.spread * (all_lp - pad_lp - gold_lp)) - q.entropy;
  }
}

static void backward_rows(size_t N, size_t V, const float *restrict X, const int32_t *restrict gold, size_t pad,
                          smoothing_t q, const float *restrict lse, const float *restrict dloss,
                          const float *restrict dnll, float *restrict dX) {
  for (size_t r = 0; r < N; r++) {
    const float *x = X + r * V;
    float *dx = dX + r * V;
    const float dl = dloss[r], dn = dnll[r], a = dl + dn, l = lse[r], base = dl * q.spread;
    // Σ_v q_v = 1 whichever the gold is, so d/dx_j = (dl + dn)·p_j - dl·q_j - dn·[j = gold].
    for (size_t j = 0; j < V; j++) dx[j] = a * expf(x[j] - l) - base;
    dx[pad] += base;
    dx[gold[r]] += base - dl * q.keep - dn;
  }
}

static bool read_args(napi_env env, napi_callback_info info, size_t argc_expected, napi_value *args,
                      const char *usage) {
  size_t argc = argc_expected;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc != argc_expected) {
    napi_throw_error(env, NULL, usage);
    return false;
  }
  return true;
}

// Checks the shapes shared by both calls; V from X's length and N; pad and every gold in [0, V).
static bool check_rows(napi_env env, size_t lenX, size_t N, const int32_t *gold, int32_t pad, size_t *V) {
  if (N == 0 || lenX % N) {
    napi_throw_range_error(env, NULL, "crossEntropy: logits must be [N, V] for N targets");
    return false;
  }
  *V = lenX / N;
  if (pad < 0 || (size_t)pad >= *V) {
    napi_throw_range_error(env, NULL, "crossEntropy: pad id outside the vocabulary");
    return false;
  }
  for (size_t r = 0; r < N; r++)
    if (gold[r] < 0 || (size_t)gold[r] >= *V) {
      char msg[96];
      snprintf(msg, sizeof msg, "crossEntropy: target %d at row %zu is not in [0, %zu)", gold[r], r, *V);
      napi_throw_range_error(env, NULL, msg);
      return false;
    }
  return true;
}

napi_value cross_entropy(napi_env env, napi_callback_info info) {
  napi_value args[7];
  if (!read_args(env, info, 7, args, "crossEntropy(X, targets, loss, nll, lse, smoothing, pad)")) return NULL;
  size_t lenX, N, len[3];
  float *X = float_array(env, args[0], &lenX), *out[3];
  const int32_t *gold = X ? int_array(env, args[1], &N) : NULL;
  double eps;
  int32_t pad;
  if (!gold || !float_args(env, args + 2, 3, out, len)) return NULL;
  if (napi_get_value_double(env, args[5], &eps) != napi_ok || napi_get_value_int32(env, args[6], &pad) != napi_ok) {
    napi_throw_type_error(env, NULL, "crossEntropy: smoothing and pad must be numbers");
    return NULL;
  }
  size_t V;
  if (!check_rows(env, lenX, N, gold, pad, &V)) return NULL;
  if (len[0] != N || len[1] != N || len[2] != N) {
    napi_throw_range_error(env, NULL, "crossEntropy: loss, nll and lse must be [N]");
    return NULL;
  }
  forward_rows(N, V, X, gold, (size_t)pad, smoothing_of(eps, V), out[0], out[1], out[2]);
  return NULL;
}

napi_value cross_entropy_grad(napi_env env, napi_callback_info info) {
  napi_value args[8];
  if (!read_args(env, info, 8, args, "crossEntropyGrad(X, targets, lse, dLoss, dNll, dX, smoothing, pad)")) return NULL;
  size_t lenX, N, len[4];
  float *X = float_array(env, args[0], &lenX), *in[4];
  const int32_t *gold = X ? int_array(env, args[1], &N) : NULL;
  double eps;
  int32_t pad;
  if (!gold || !float_args(env, args + 2, 4, in, len)) return NULL;
  if (napi_get_value_double(env, args[6], &eps) != napi_ok || napi_get_value_int32(env, args[7], &pad) != napi_ok) {
    napi_throw_type_error(env, NULL, "crossEntropyGrad: smoothing and pad must be numbers");
    return NULL;
  }
  size_t V;
  if (!check_rows(env, lenX, N, gold, pad, &V)) return NULL;
  if (len[0] != N || len[1] != N || len[2] != N || len[3] != lenX) {
    napi_throw_range_error(env, NULL, "crossEntropyGrad: lse, dLoss, dNll must be [N] and dX [N, V]");
    return NULL;
  }
  backward_rows(N, V, X, gold, (size_t)pad, smoothing_of(eps, V), in[0], in[1], in[2], in[3]);
  return NULL;
}
