// A tiny N-API addon: single-precision GEMM from the system's OpenBLAS, loaded at run time with
// dlopen so the addon always builds and a machine without BLAS simply reports it unavailable.
// Used by src-main/core/tf/native-blas.ts to run TensorFlow.js matmuls on the wasm heap in place.
#include <dlfcn.h>
#include <math.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>

typedef void (*sgemm_fn)(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*threads_fn)(int);

static sgemm_fn cblas_sgemm_ptr = NULL;
static threads_fn set_threads_ptr = NULL;
static char load_error[512] = "";
static const char *loaded_from = NULL;

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static void load_blas(void) {
  const char *candidates[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp-r0.3.so", "libblas.so.3", "libcblas.so.3", NULL};
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

static float *float_array(napi_env env, napi_value v, size_t *len) {
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

// sgemm(transA, transB, m, n, k, A, B, C): C[m,n] = op(A)[m,k] · op(B)[k,n], row-major, dense.
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
  cblas_sgemm_ptr(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
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

// adam(P, G, M, V, P2, M2, V2, [beta1, beta2, weightDecay, stepSize, sqrtBias2, eps]): one Adam
// update (PyTorch semantics, L2 weight decay added to the gradient) in one pass over the arrays:
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
  for (int i = 0; i < 8; i++) {
    x[i] = float_array(env, args[i], &len[i]);
    if (!x[i]) return NULL;
  }
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

static napi_value init(napi_env env, napi_value exports) {
  load_blas();
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"status", NULL, status, NULL, NULL, NULL, napi_default, NULL},
      {"available", NULL, available, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"vexp", NULL, vexp, NULL, NULL, NULL, napi_default, NULL},
      {"vtanh", NULL, vtanh, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
