// Layer normalisation over the last dimension (Ba et al., 2016), forward and backward in one pass per
// row each. Op by op (tf.moments, sub, div, sqrt, mul, add and their gradients, with broadcast
// gradients summed back) it is ~25 kernels per call, several over the whole [rows, d] input.
//
// layerNorm: Y = (X - mean) / sqrt(var + eps) · gamma + beta, per row
// layerNormGrad: the statistics recomputed from X (one pass) instead of kept between the two calls.
// Their arguments and shapes: native/README.md.
#include <math.h>
#include <string.h>

#include "addon.h"

static void row_stats(size_t d, const float *restrict x, float *mean, float *rstd, double eps) {
  float s = 0.0f;
  for (size_t j = 0; j < d; j++) s += x[j];
  const float m = s / (float)d;
  float v = 0.0f;
  for (size_t j = 0; j < d; j++) v += (x[j] - m) * (x[j] - m);
  *mean = m;
  *rstd = (float)(1.0 / sqrt((double)(v / (float)d) + eps));
}

static void forward_rows(size_t R, size_t d, const float *restrict X, const float *restrict gamma,
                         const float *restrict beta, float *restrict Y, double eps) {
  for (size_t r = 0; r < R; r++) {
    const float *x = X + r * d;
    float *y = Y + r * d, m, rs;
    row_stats(d, x, &m, &rs, eps);
    for (size_t j = 0; j < d; j++) y[j] = (x[j] - m) * rs * gamma[j] + beta[j];
  }
}

// dX = rstd · (g - mean(g) - x̂ · mean(g · x̂)) with g = dY · gamma and x̂ the normalised input.
static void backward_rows(size_t R, size_t d, const float *restrict dY, const float *restrict X,
                          const float *restrict gamma, float *restrict dX, float *restrict dgamma,
                          float *restrict dbeta, double eps) {
  memset(dgamma, 0, d * sizeof(float));
  memset(dbeta, 0, d * sizeof(float));
  for (size_t r = 0; r < R; r++) {
    const float *x = X + r * d, *dy = dY + r * d;
    float *dx = dX + r * d, m, rs;
    row_stats(d, x, &m, &rs, eps);
    float sg = 0.0f, sgx = 0.0f;
    for (size_t j = 0; j < d; j++) {
      const float xh = (x[j] - m) * rs, g = dy[j] * gamma[j];
      sg += g;
      sgx += g * xh;
      dgamma[j] += dy[j] * xh;
      dbeta[j] += dy[j];
    }
    sg /= (float)d;
    sgx /= (float)d;
    for (size_t j = 0; j < d; j++) dx[j] = rs * (dy[j] * gamma[j] - sg - (x[j] - m) * rs * sgx);
  }
}

napi_value layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[4];
  float *a[4];
  double eps;
  if (argc != 5 || napi_get_value_double(env, args[4], &eps) != napi_ok) {
    napi_throw_error(env, NULL, "layerNorm(X, gamma, beta, Y, eps)");
    return NULL;
  }
  if (!float_args(env, args, 4, a, len)) return NULL;
  const size_t d = len[1];
  if (d == 0 || len[0] % d || len[2] != d || len[3] != len[0]) {
    napi_throw_range_error(env, NULL, "layerNorm: X and Y must be [R, d], gamma and beta [d]");
    return NULL;
  }
  forward_rows(len[0] / d, d, a[0], a[1], a[2], a[3], eps);
  return NULL;
}

napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value args[7];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[6];
  float *a[6];
  double eps;
  if (argc != 7 || napi_get_value_double(env, args[6], &eps) != napi_ok) {
    napi_throw_error(env, NULL, "layerNormGrad(dY, X, gamma, dX, dGamma, dBeta, eps)");
    return NULL;
  }
  if (!float_args(env, args, 6, a, len)) return NULL;
  const size_t d = len[2];
  if (d == 0 || len[0] % d || len[1] != len[0] || len[3] != len[0] || len[4] != d || len[5] != d) {
    napi_throw_range_error(env, NULL, "layerNormGrad: dY, X, dX must be [R, d], gamma, dGamma, dBeta [d]");
    return NULL;
  }
  backward_rows(len[0] / d, d, a[0], a[1], a[2], a[3], a[4], a[5], eps);
  return NULL;
}
