{
  "targets": [
    {
      "target_name": "blas",
      "sources": ["blas.c", "cross-entropy.c", "layer-norm.c", "bahdanau.c"],
      "cflags": ["-O3", "-ffast-math"],
      "libraries": ["-ldl", "-lm"]
    }
  ]
}
