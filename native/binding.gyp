{
  "targets": [
    {
      "target_name": "blas",
      "sources": ["blas.c"],
      "cflags": ["-O2"],
      "libraries": ["-ldl"]
    }
  ]
}
