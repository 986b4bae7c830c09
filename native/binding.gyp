{
  "targets": [
    {
      "target_name": "blas",
      "sources": ["blas.c"],
      "cflags": ["-O3", "-ffast-math"],
      "libraries": ["-ldl", "-lm"]
    }
  ]
}
