// A tiny N-API addon: single-precision GEMM from the system's OpenBLAS, loaded at run time with
// dlopen so the addon always builds and a machine without BLAS simply reports it unavailable.
// Used by src-main/core/tf/native-blas.ts to run TensorFlow.js matmuls on the wasm heap in place, with
// fused kernels in their own files; native/README.md lists every export and its argument layouts.
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

typedef void (*threads_fn)(int);

sgemm_fn cblas_sgemm_ptr = NULL;
static threads_fn set_threads_ptr = NULL;
static char load_error[512] = "";
static const char *loaded_from = NULL;

static void load_blas(void) {
  const char *candidates[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp-r0.3.so",
                              "libblas.so.3",     "libcblas.so.3",  NULL};
  for (int i = 0; candidates[i]; i++) {
    void *h = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    cblas_sgemm_ptr = (sgemm_fn)dlsym(h, "cblas_sgemm");
    if (cblas_sgemm_ptr) {
      set_threads_ptr = (threads_fn)dlsym(h, "openblas_set_num_threads");
      loaded_from = candidates[i];
      return;
    }
    dlclose(h);
  }
  snprintf(load_error, sizeof load_error, "no BLAS library with cblas_sgemm found (install libopenblas0-pthread)");
}

float *float_array(napi_env env, napi_value v, size_t *len) {
  napi_typedarray_type type;
  void *data;
  napi_value buf;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, len, &data, &buf, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "expected a Float32Array");
    return NULL;
  }
  return (float *)data;
}

int32_t *int_array(napi_env env, napi_value v, size_t *len) {
  napi_typedarray_type type;
  void *data;
  napi_value buf;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, len, &data, &buf, &offset) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "expected an Int32Array");
    return NULL;
  }
  return (int32_t *)data;
}

bool int_list(napi_env env, napi_value list, size_t n, int32_t *out) {
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    if (napi_get_element(env, list, i, &v) != napi_ok || napi_get_value_int32(env, v, &out[i]) != napi_ok ||
        out[i] < 0) {
      napi_throw_type_error(env, NULL, "expected an array of non-negative integers");
      return false;
    }
  }
  return true;
}

bool float_args(napi_env env, napi_value *args, size_t n, float **x, size_t *len) {
  for (size_t i = 0; i < n; i++)
    if (!(x[i] = float_array(env, args[i], &len[i]))) return false;
  return true;
}

// sgemm: C = op(A) · op(B), row-major, dense (arguments: native/README.md).
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc != 8) {
    napi_throw_error(env, NULL, "sgemm(transA, transB, m, n, k, A, B, C)");
    return NULL;
  }
  if (!cblas_sgemm_ptr) {
    napi_throw_error(env, NULL, load_error);
    return NULL;
  }
  bool ta, tb;
  int32_t m, n, k;
  napi_get_value_bool(env, args[0], &ta);
  napi_get_value_bool(env, args[1], &tb);
  napi_get_value_int32(env, args[2], &m);
  napi_get_value_int32(env, args[3], &n);
  napi_get_value_int32(env, args[4], &k);
  size_t la, lb, lc;
  float *a = float_array(env, args[5], &la);
  float *b = a ? float_array(env, args[6], &lb) : NULL;
  float *c = b ? float_array(env, args[7], &lc) : NULL;
  if (!c) return NULL;
  if (la < (size_t)m * k || lb < (size_t)k * n || lc < (size_t)m * n) {
    napi_throw_range_error(env, NULL, "sgemm: an array is smaller than its matrix");
    return NULL;
  }
  cblas_sgemm_ptr(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0f, a, ta ? m : k, b,
                  tb ? k : n, 0.0f, c, n);
  return NULL;
}

// Elementwise maps on float32 arrays: Y[i] = f(X[i]); X and Y may be the same array. Compiled with
// -ffast-math so gcc vectorises expf and tanhf through glibc's libmvec (wasm's are scalar): the
// softmax over [batch*len, vocab] logits takes two exps per train step, an LSTM step two tanhs
// forward and more in its gradient; otherwise they are the largest non-matmul costs of a step.
static float *unary_args(napi_env env, napi_callback_info info, const char *name, size_t *n, float **y) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t lx, ly;
  float *x = argc == 2 ? float_array(env, args[0], &lx) : NULL;
  *y = x ? float_array(env, args[1], &ly) : NULL;
  if (!*y) return NULL;
  if (ly < lx) {
    char msg[64];
    snprintf(msg, sizeof msg, "%s: output smaller than input", name);
    napi_throw_range_error(env, NULL, msg);
    return NULL;
  }
  *n = lx;
  return x;
}

#define ELEMENTWISE(name, f)                                        \
  static napi_value name(napi_env env, napi_callback_info info) {   \
    size_t n;                                                       \
    float *y;                                                       \
    float *x = unary_args(env, info, #name, &n, &y);                \
    if (x)                                                          \
      for (size_t i = 0; i < n; i++) y[i] = f(x[i]);                \
    return NULL;                                                    \
  }

ELEMENTWISE(vexp, expf)
ELEMENTWISE(vtanh, tanhf)

// adam: one Adam update (PyTorch semantics, L2 weight decay added to the gradient) in one pass over
// the arrays (arguments: native/README.md):
//   g = G + wd·P;  M2 = b1·M + (1-b1)·g;  V2 = b2·V + (1-b2)·g²;  P2 = P - step·M2 / (sqrt(V2)/sqrtBias2 + eps)
// Op by op it is ~10 kernels per parameter, each streaming the whole tensor.
// restrict: the outputs are fresh tensors, never an input, which lets gcc vectorise the loop.
static void adam_update(size_t n, const float *restrict p, const float *restrict g, const float *restrict m,
                        const float *restrict v, float *restrict p2, float *restrict m2, float *restrict v2, float b1,
                        float b2, float wd, float step, float sqrt_bias2, float eps) {
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i] + wd * p[i];
    const float mi = b1 * m[i] + (1.0f - b1) * gi;
    const float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = p[i] - step * mi / (sqrtf(vi) / sqrt_bias2 + eps);
  }
}

static napi_value adam(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc != 8) {
    napi_throw_error(env, NULL, "adam(P, G, M, V, P2, M2, V2, hyper)");
    return NULL;
  }
  size_t len[8];
  float *x[8];
  if (!float_args(env, args, 8, x, len)) return NULL;
  size_t n = len[0];
  for (int i = 1; i < 7; i++)
    if (len[i] != n) {
      napi_throw_range_error(env, NULL, "adam: arrays differ in length");
      return NULL;
    }
  if (len[7] < 6) {
    napi_throw_range_error(env, NULL, "adam: hyper needs 6 values");
    return NULL;
  }
  const float *h = x[7];
  adam_update(n, x[0], x[1], x[2], x[3], x[4], x[5], x[6], h[0], h[1], h[2], h[3], h[4], h[5]);
  return NULL;
}

// The LSTM cell's elementwise part, fused (the matmuls stay BLAS): per row of the batch, gates are
// [i | f | g | o] pre-activations, each H wide. Op by op this is ~12 kernels forward and ~25 backward
// per step and layer, each a pass over [B, H] plus the engine's bookkeeping.
static inline float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

// One row of one step, forward: activates the gates in a (in place), then c2 = f·c + i·g and, with
// m = the row's mask, h = m·o·tanh(c2) + (1-m)·hp, c = m·c2 + (1-m)·cp. size_t indices and restrict
// pointers so gcc vectorises both loops (with libmvec's expf/tanhf).
static void lstm_row_forward(size_t H, float m, float *restrict a, const float *restrict cp, const float *restrict hp,
                             float *restrict c2, float *restrict h, float *restrict c) {
  for (size_t j = 0; j < H; j++) {
    a[j] = sigmoidf(a[j]);
    a[H + j] = sigmoidf(a[H + j]);
    a[2 * H + j] = tanhf(a[2 * H + j]);
    a[3 * H + j] = sigmoidf(a[3 * H + j]);
  }
  for (size_t j = 0; j < H; j++) {
    c2[j] = a[H + j] * cp[j] + a[j] * a[2 * H + j];
    h[j] = m * (a[3 * H + j] * tanhf(c2[j])) + (1.0f - m) * hp[j];
    c[j] = m * c2[j] + (1.0f - m) * cp[j];
  }
}

// One row of one step, backward: from dh (state gradient + this step's output gradient, dht) and dc,
// the gate gradients dg, and dc/dh updated in place to the previous step's (dh before dG·U^T).
static void lstm_row_backward(size_t H, float m, const float *restrict a, const float *restrict cp,
                              const float *restrict c2, const float *restrict dout, float *restrict dh,
                              float *restrict dc, float *restrict dg) {
  for (size_t j = 0; j < H; j++) {
    const float dht = dh[j] + dout[j];
    const float i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
    const float tc = tanhf(c2[j]);
    const float dhn = m * dht;
    const float dct = m * dc[j] + dhn * o * (1.0f - tc * tc);
    dg[j] = dct * g * i * (1.0f - i);
    dg[H + j] = dct * cp[j] * f * (1.0f - f);
    dg[2 * H + j] = dct * i * (1.0f - g * g);
    dg[3 * H + j] = dhn * tc * o * (1.0f - o);
    dc[j] = dct * f + (1.0f - m) * dc[j];
    dh[j] = (1.0f - m) * dht;
  }
}

// lstmCell: one cell step forward (arguments: native/README.md).
static napi_value lstm_cell(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t H = 0;
  if (argc != 6 || napi_get_value_int32(env, args[5], &H) != napi_ok || H <= 0) {
    napi_throw_error(env, NULL, "lstmCell(gates, c, h, c2, acts, hidden)");
    return NULL;
  }
  size_t len[5];
  float *x[5];
  if (!float_args(env, args, 5, x, len)) return NULL;
  size_t rows = len[1] / H;
  if (len[1] != rows * H || len[0] != rows * 4 * H || len[2] != len[1] || len[3] != len[1] || len[4] != len[0]) {
    napi_throw_range_error(env, NULL, "lstmCell: gates/acts must be [rows, 4H] and c/h/c2 [rows, H]");
    return NULL;
  }
  // A cell step is a sequence step with nothing masked: the previous h is never read (m = 1), and the
  // masked state equals c2 (written to scratch).
  float *zeros = calloc(2 * (size_t)H, sizeof(float)), *c_unused = zeros + H;
  if (!zeros) {
    napi_throw_error(env, NULL, "lstmCell: out of memory");
    return NULL;
  }
  const size_t G = 4 * (size_t)H;
  for (size_t r = 0; r < rows; r++) {
    float *a = x[4] + r * G;
    memcpy(a, x[0] + r * G, G * sizeof(float));
    lstm_row_forward(H, 1.0f, a, x[1] + r * H, zeros, x[3] + r * H, x[2] + r * H, c_unused);
  }
  free(zeros);
  return NULL;
}

// lstmCellGrad: both gradients of one cell step (arguments: native/README.md).
static napi_value lstm_cell_grad(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t H = 0;
  if (argc != 8 || napi_get_value_int32(env, args[7], &H) != napi_ok || H <= 0) {
    napi_throw_error(env, NULL, "lstmCellGrad(dh, dc2, c, c2, acts, dgates, dc, hidden)");
    return NULL;
  }
  size_t len[7];
  float *x[7];
  if (!float_args(env, args, 7, x, len)) return NULL;
  size_t n = len[2], rows = n / H;
  if (n != rows * H || len[0] != n || len[1] != n || len[3] != n || len[4] != 4 * n || len[5] != 4 * n || len[6] != n) {
    napi_throw_range_error(env, NULL, "lstmCellGrad: dh/dc2/c/c2/dc must be [rows, H], acts/dgates [rows, 4H]");
    return NULL;
  }
  // As a sequence step with nothing masked: the state gradient starts at zero (stays zero with m = 1),
  // dh arrives as the step's output gradient, and dc starts as dc2 and ends as the previous c's.
  float *dh_state = calloc((size_t)H, sizeof(float));
  if (!dh_state) {
    napi_throw_error(env, NULL, "lstmCellGrad: out of memory");
    return NULL;
  }
  memcpy(x[6], x[1], n * sizeof(float));
  for (size_t r = 0; r < rows; r++)
    lstm_row_backward(H, 1.0f, x[4] + r * 4 * H, x[2] + r * H, x[3] + r * H, x[0] + r * H, dh_state, x[6] + r * H,
                      x[5] + r * 4 * H);
  free(dh_state);
  return NULL;
}

// Row-wise log-softmax of [rows, V] scores (the output layer's, V = the target vocabulary) and its
// gradient, each one pass per row: y = x - max - log(sum exp(x - max)); dx = dy - exp(y) * sum(dy).
// Op by op it is max, sub, exp, sum, log, sub forward and exp, sum, mul, sub backward over [rows, V].
static void log_softmax_rows(size_t rows, size_t V, const float *restrict x, float *restrict y) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * V;
    float *yr = y + r * V;
    float m = -INFINITY;
    for (size_t j = 0; j < V; j++) m = fmaxf(m, xr[j]);
    float s = 0.0f;
    for (size_t j = 0; j < V; j++) s += expf(xr[j] - m);
    const float shift = m + logf(s);
    for (size_t j = 0; j < V; j++) yr[j] = xr[j] - shift;
  }
}

static void log_softmax_grad_rows(size_t rows, size_t V, const float *restrict dy, const float *restrict y,
                                  float *restrict dx) {
  for (size_t r = 0; r < rows; r++) {
    const float *dyr = dy + r * V, *yr = y + r * V;
    float *dxr = dx + r * V;
    float s = 0.0f;
    for (size_t j = 0; j < V; j++) s += dyr[j];
    for (size_t j = 0; j < V; j++) dxr[j] = dyr[j] - expf(yr[j]) * s;
  }
}

// logSoftmax and logSoftmaxGrad (arguments: native/README.md).
static napi_value log_softmax_call(napi_env env, napi_callback_info info, int grad) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  const size_t arrays = grad ? 3 : 2;
  int32_t V = 0;
  if (argc != arrays + 1 || napi_get_value_int32(env, args[arrays], &V) != napi_ok || V <= 0) {
    napi_throw_error(env, NULL, grad ? "logSoftmaxGrad(dY, Y, dX, vocab)" : "logSoftmax(X, Y, vocab)");
    return NULL;
  }
  size_t len[3];
  float *x[3];
  if (!float_args(env, args, arrays, x, len)) return NULL;
  for (size_t i = 1; i < arrays; i++)
    if (len[i] != len[0] || len[0] % V) {
      napi_throw_range_error(env, NULL, "logSoftmax: arrays must all be [rows, vocab]");
      return NULL;
    }
  if (grad)
    log_softmax_grad_rows(len[0] / V, V, x[0], x[1], x[2]);
  else
    log_softmax_rows(len[0] / V, V, x[0], x[1]);
  return NULL;
}

static napi_value log_softmax(napi_env env, napi_callback_info info) { return log_softmax_call(env, info, 0); }
static napi_value log_softmax_grad(napi_env env, napi_callback_info info) { return log_softmax_call(env, info, 1); }

// A whole LSTM layer over a sequence in one call (cuDNN-style), for the encoder and a decoder without
// attention: per step one BLAS product h·U plus the cell, with the padding mask applied inside (a
// padded step keeps the previous state). Layouts: xproj [B, T, 4H] (the input projection of all
// steps), U [H, 4H], h0/c0 [B, H], mask [B, T] (1 real, 0 pad), hs [B, T, H] outputs,
// hT/cT [B, H] final state. Saved for the backward pass, time-major: acts [T, B, 4H] (activated
// gates), cprev/c2/hprev [T, B, H] (c before the step, the cell's new c, h before the step).
static void lstm_seq_forward(size_t B, size_t T, size_t H, int reverse, const float *xproj, const float *U,
                             const float *h0, const float *c0, const float *mask, float *hs, float *hT, float *cT,
                             float *acts, float *cprev, float *c2s, float *hprev) {
  const size_t BH = B * H, G = 4 * H;
  memcpy(hT, h0, BH * sizeof(float)); // hT/cT carry the running state
  memcpy(cT, c0, BH * sizeof(float));
  for (size_t k = 0; k < T; k++) {
    const size_t t = reverse ? T - 1 - k : k;
    float *a = acts + t * B * G, *cp = cprev + t * BH, *c2 = c2s + t * BH, *hp = hprev + t * BH;
    memcpy(hp, hT, BH * sizeof(float));
    memcpy(cp, cT, BH * sizeof(float));
    for (size_t b = 0; b < B; b++) memcpy(a + b * G, xproj + (b * T + t) * G, G * sizeof(float));
    cblas_sgemm_ptr(ROW_MAJOR, NO_TRANS, NO_TRANS, (int)B, (int)G, (int)H, 1.0f, hp, (int)H, U, (int)G, 1.0f, a,
                    (int)G);
    for (size_t b = 0; b < B; b++) {
      const float m = mask[b * T + t];
      lstm_row_forward(H, m, a + b * G, cp + b * H, hp + b * H, c2 + b * H, hT + b * H, cT + b * H);
      memcpy(hs + (b * T + t) * H, hT + b * H, H * sizeof(float));
    }
  }
}

// The backward pass of lstm_seq_forward. dhs [B, T, H] (gradient of the outputs), dhT/dcT [B, H]
// (of the final state) in; dxproj [B, T, 4H], dU [H, 4H], dh0/dc0 [B, H] out. dG [T, B, 4H] and
// dhprev [B, H] are scratch. The recurrent weight's gradient is one product over all steps:
// dU = hprev^T [H, T*B] · dG [T*B, 4H].
static void lstm_seq_backward(size_t B, size_t T, size_t H, int reverse, const float *U, const float *mask,
                              const float *acts, const float *cprev, const float *c2s, const float *hprev,
                              const float *dhs, const float *dhT, const float *dcT, float *dxproj, float *dU,
                              float *dh0, float *dc0, float *dG, float *dhprev) {
  const size_t BH = B * H, G = 4 * H;
  float *dh = dh0, *dc = dc0; // the running state gradients end as dh0/dc0
  memcpy(dh, dhT, BH * sizeof(float));
  memcpy(dc, dcT, BH * sizeof(float));
  for (size_t n = T; n-- > 0;) {
    const size_t t = reverse ? T - 1 - n : n;
    const float *a = acts + t * B * G, *cp = cprev + t * BH, *c2 = c2s + t * BH;
    float *dg = dG + t * B * G;
    for (size_t b = 0; b < B; b++) {
      const float m = mask[b * T + t];
      lstm_row_backward(H, m, a + b * G, cp + b * H, c2 + b * H, dhs + (b * T + t) * H, dh + b * H, dc + b * H,
                        dg + b * G);
      memcpy(dxproj + (b * T + t) * G, dg + b * G, G * sizeof(float));
    }
    cblas_sgemm_ptr(ROW_MAJOR, NO_TRANS, TRANS, (int)B, (int)H, (int)G, 1.0f, dg, (int)G, U, (int)G, 0.0f, dhprev,
                    (int)H);
    for (size_t q = 0; q < BH; q++) dh[q] += dhprev[q];
  }
  cblas_sgemm_ptr(ROW_MAJOR, TRANS, NO_TRANS, (int)H, (int)G, (int)(T * B), 1.0f, hprev, (int)H, dG, (int)G, 0.0f,
                  dU, (int)G);
}

// lstmSeq: a whole layer forward (arguments: native/README.md).
static napi_value lstm_seq(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value args[13];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[12];
  float *x[12];
  int32_t dims[4];
  if (argc != 13 || !cblas_sgemm_ptr) {
    napi_throw_error(env, NULL, "lstmSeq(xproj, U, h0, c0, mask, hs, hT, cT, acts, cprev, c2, hprev, dims)");
    return NULL;
  }
  if (!float_args(env, args, 12, x, len) || !int_list(env, args[12], 4, dims)) return NULL;
  const size_t B = dims[0], T = dims[1], H = dims[2], BH = B * H;
  if (len[0] != B * T * 4 * H || len[1] != H * 4 * H || len[2] != BH || len[3] != BH || len[4] != B * T ||
      len[5] != B * T * H || len[6] != BH || len[7] != BH || len[8] != T * B * 4 * H || len[9] != T * BH ||
      len[10] != T * BH || len[11] != T * BH) {
    napi_throw_range_error(env, NULL, "lstmSeq: array sizes do not match [B, T, H]");
    return NULL;
  }
  lstm_seq_forward(dims[0], dims[1], dims[2], dims[3], x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7],
                   x[8], x[9], x[10], x[11]);
  return NULL;
}

// lstmSeqGrad: a whole layer backward (arguments: native/README.md).
static napi_value lstm_seq_grad(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value args[16];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[15];
  float *x[15];
  int32_t dims[4];
  if (argc != 16 || !cblas_sgemm_ptr) {
    napi_throw_error(env, NULL,
                     "lstmSeqGrad(U, mask, acts, cprev, c2, hprev, dhs, dhT, dcT, dxproj, dU, dh0, dc0, dG, dhprev, "
                     "dims)");
    return NULL;
  }
  if (!float_args(env, args, 15, x, len) || !int_list(env, args[15], 4, dims)) return NULL;
  const size_t B = dims[0], T = dims[1], H = dims[2], BH = B * H;
  if (len[0] != H * 4 * H || len[1] != B * T || len[2] != T * B * 4 * H || len[3] != T * BH ||
      len[4] != T * BH || len[5] != T * BH || len[6] != B * T * H || len[7] != BH || len[8] != BH ||
      len[9] != B * T * 4 * H || len[10] != H * 4 * H || len[11] != BH || len[12] != BH || len[13] != T * B * 4 * H ||
      len[14] != BH) {
    napi_throw_range_error(env, NULL, "lstmSeqGrad: array sizes do not match [B, T, H]");
    return NULL;
  }
  lstm_seq_backward(dims[0], dims[1], dims[2], dims[3], x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7],
                    x[8], x[9], x[10], x[11], x[12], x[13], x[14]);
  return NULL;
}

// sumSquares: Σ X[i]², accumulated in double (a gradient's squared norm for clipping:
// one read of the tensor where square-then-sum makes two passes and a temporary).
static napi_value sum_squares(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  size_t len[2];
  float *x[2];
  if (argc != 2 || !float_args(env, args, 2, x, len) || len[1] < 1) {
    if (argc != 2) napi_throw_error(env, NULL, "sumSquares(X, out)");
    return NULL;
  }
  double s = 0.0;
  for (size_t i = 0; i < len[0]; i++) s += (double)x[0][i] * x[0][i];
  x[1][0] = (float)s;
  return NULL;
}

static napi_value status(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_create_string_utf8(env, cblas_sgemm_ptr ? loaded_from : load_error, NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value available(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_get_boolean(env, cblas_sgemm_ptr != NULL, &out);
  return out;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  int32_t n = 1;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  if (argc == 1) napi_get_value_int32(env, arg, &n);
  if (set_threads_ptr) set_threads_ptr(n);
  return NULL;
}

static napi_value interface_version(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_create_int32(env, ADDON_INTERFACE_VERSION, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  load_blas();
  napi_property_descriptor props[] = {
      {"interfaceVersion", NULL, interface_version, NULL, NULL, NULL, napi_default, NULL},
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"status", NULL, status, NULL, NULL, NULL, napi_default, NULL},
      {"available", NULL, available, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"vexp", NULL, vexp, NULL, NULL, NULL, napi_default, NULL},
      {"vtanh", NULL, vtanh, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
      {"lstmCell", NULL, lstm_cell, NULL, NULL, NULL, napi_default, NULL},
      {"lstmCellGrad", NULL, lstm_cell_grad, NULL, NULL, NULL, napi_default, NULL},
      {"logSoftmax", NULL, log_softmax, NULL, NULL, NULL, napi_default, NULL},
      {"lstmSeq", NULL, lstm_seq, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"lstmSeqGrad", NULL, lstm_seq_grad, NULL, NULL, NULL, napi_default, NULL},
      {"logSoftmaxGrad", NULL, log_softmax_grad, NULL, NULL, NULL, napi_default, NULL},
      {"crossEntropy", NULL, cross_entropy, NULL, NULL, NULL, napi_default, NULL},
      {"crossEntropyGrad", NULL, cross_entropy_grad, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"bahdanauAttend", NULL, bahdanau_attend, NULL, NULL, NULL, napi_default, NULL},
      {"bahdanauAttendGrad", NULL, bahdanau_attend_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
