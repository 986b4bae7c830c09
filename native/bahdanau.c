// One Bahdanau attention step (Bahdanau et al., 2015: score(q, k) = vᵀ tanh(k + q), keys and query already
// projected), forward and backward per sentence of the batch, for the recurrent decoder's teacher-forced
// steps. Op by op a step is ~12 kernels forward and ~20 backward, and every step keeps its own
// [B, S, H] energy tanh(keys + q) (and the sum before it) until the backward pass: with long sources
// that was most of the training's memory. These keep only the step's weights; the backward pass
// recomputes the energy from the keys and the query.
//
// bahdanauAttend: weights = softmax_s(vᵀ tanh(keys[b, s] + q[b]) + bias[b, s]);
//                 ctx[b] = Σ_s weights[b, s] states[b, s]
// bahdanauAttendGrad: dq, dKeys, dv and dStates from dCtx and dWeights.
// Their arguments and shapes: native/README.md.
#include <math.h>
#include <string.h>

#include "addon.h"

static void attend_rows(size_t B, size_t S, size_t H, size_t D, const float *restrict q, const float *restrict keys,
                        const float *restrict v, const float *restrict bias, const float *restrict states,
                        float *restrict ctx, float *restrict weights) {
  for (size_t b = 0; b < B; b++) {
    float *w = weights + b * S, m = -INFINITY;
    for (size_t s = 0; s < S; s++) {
      const float *k = keys + (b * S + s) * H, *qb = q + b * H;
      float e = 0.0f;
      for (size_t j = 0; j < H; j++) e += v[j] * tanhf(k[j] + qb[j]);
      w[s] = e + bias[b * S + s];
      m = fmaxf(m, w[s]);
    }
    float z = 0.0f;
    for (size_t s = 0; s < S; s++) z += (w[s] = expf(w[s] - m));
    float *c = ctx + b * D;
    memset(c, 0, D * sizeof(float));
    for (size_t s = 0; s < S; s++) {
      w[s] /= z;
      const float *st = states + (b * S + s) * D;
      for (size_t j = 0; j < D; j++) c[j] += w[s] * st[j];
    }
  }
}

static void attend_grad_rows(size_t B, size_t S, size_t H, size_t D, const float *restrict q,
                             const float *restrict keys, const float *restrict v, const float *restrict states,
                             const float *restrict weights, const float *restrict dctx, const float *restrict dweights,
                             float *restrict dq, float *restrict dkeys, float *restrict dv, float *restrict dstates,
                             float *restrict dscore) {
  memset(dq, 0, B * H * sizeof(float));
  memset(dv, 0, H * sizeof(float));
  for (size_t b = 0; b < B; b++) {
    const float *w = weights + b * S, *dc = dctx + b * D, *qb = q + b * H;
    // d weights: from the context (dctx · states) and from the weights' own use; then through the softmax.
    float dot = 0.0f;
    for (size_t s = 0; s < S; s++) {
      const float *st = states + (b * S + s) * D;
      float *dst = dstates + (b * S + s) * D;
      float g = dweights[b * S + s];
      for (size_t j = 0; j < D; j++) {
        g += dc[j] * st[j];
        dst[j] = w[s] * dc[j];
      }
      dscore[s] = g;
      dot += w[s] * g;
    }
    float *dqb = dq + b * H;
    for (size_t s = 0; s < S; s++) {
      const float ds = w[s] * (dscore[s] - dot);
      const float *k = keys + (b * S + s) * H;
      float *dk = dkeys + (b * S + s) * H;
      for (size_t j = 0; j < H; j++) {
        const float t = tanhf(k[j] + qb[j]);
        const float de = ds * v[j] * (1.0f - t * t);
        dk[j] = de;
        dqb[j] += de;
        dv[j] += ds * t;
      }
    }
  }
}

napi_value bahdanau_attend(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value args[7];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[7];
  float *x[7];
  if (argc != 7) {
    napi_throw_error(env, NULL, "bahdanauAttend(q, keys, v, bias, states, ctx, weights)");
    return NULL;
  }
  if (!float_args(env, args, 7, x, len)) return NULL;
  const size_t H = len[2], B = H ? len[0] / H : 0, S = B ? len[3] / B : 0, D = B ? len[5] / B : 0;
  if (!H || !B || !S || !D || len[0] != B * H || len[1] != B * S * H || len[3] != B * S || len[4] != B * S * D ||
      len[5] != B * D || len[6] != B * S) {
    napi_throw_range_error(env, NULL,
                           "bahdanauAttend: expected q [B, H], keys [B, S, H], v [H], bias [B, S], "
                           "states [B, S, D], ctx [B, D], weights [B, S]");
    return NULL;
  }
  attend_rows(B, S, H, D, x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
  return NULL;
}

napi_value bahdanau_attend_grad(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value args[12];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[11];
  float *x[11];
  int32_t dims[4];
  if (argc != 12) {
    napi_throw_error(env, NULL,
                     "bahdanauAttendGrad(q, keys, v, states, weights, dCtx, dWeights, dq, dKeys, dv, dStates, dims)");
    return NULL;
  }
  if (!float_args(env, args, 11, x, len) || !int_list(env, args[11], 4, dims)) return NULL;
  const size_t B = dims[0], S = dims[1], H = dims[2], D = dims[3];
  if (len[0] != B * H || len[1] != B * S * H || len[2] != H || len[3] != B * S * D || len[4] != B * S ||
      len[5] != B * D || len[6] != B * S || len[7] != B * H || len[8] != B * S * H || len[9] != H ||
      len[10] != B * S * D) {
    napi_throw_range_error(env, NULL, "bahdanauAttendGrad: array sizes do not match [B, S, H, D]");
    return NULL;
  }
  float dscore[S > 0 ? S : 1]; // per sentence: one source length of scratch
  attend_grad_rows(B, S, H, D, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], dscore);
  return NULL;
}
