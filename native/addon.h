// What the addon's C files share: the BLAS entry point found at load time and the N-API argument
// readers. Each kernel file registers nothing itself; blas.c's init lists every export.
#ifndef WORKBENCH_ADDON_H
#define WORKBENCH_ADDON_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// The interface version: raised whenever an export is added or its arguments change (native/README.md
// lists every export's arguments, the one place they are written down). native-blas.ts refuses an addon
// built for another version, naming both.
#define ADDON_INTERFACE_VERSION 2

typedef void (*sgemm_fn)(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc);
extern sgemm_fn cblas_sgemm_ptr;
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

// A Float32Array argument's data and length; NULL with a JS TypeError if it is not one.
float *float_array(napi_env env, napi_value v, size_t *len);
// An Int32Array argument's data and length; NULL with a JS TypeError if it is not one.
int32_t *int_array(napi_env env, napi_value v, size_t *len);
// The first n arguments as Float32Arrays; false, with a JS exception, if one is not.
bool float_args(napi_env env, napi_value *args, size_t n, float **x, size_t *len);
// A JS array of n non-negative integers (a kernel's dimensions); false, with a JS exception, if not.
bool int_list(napi_env env, napi_value list, size_t n, int32_t *out);

// Kernels in their own files (what each computes: its header; arguments and shapes: README.md).
napi_value cross_entropy(napi_env env, napi_callback_info info);
napi_value cross_entropy_grad(napi_env env, napi_callback_info info);
napi_value layer_norm(napi_env env, napi_callback_info info);
napi_value layer_norm_grad(napi_env env, napi_callback_info info);
napi_value bahdanau_attend(napi_env env, napi_callback_info info);
napi_value bahdanau_attend_grad(napi_env env, napi_callback_info info);
#endif
