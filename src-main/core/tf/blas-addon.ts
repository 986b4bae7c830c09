/**
 * What the native addon (native/, built to native/build/Release/blas.node) exports, as the TypeScript
 * side sees it. The arguments' order and shapes are written down once, in native/README.md's table (a
 * test checks it names the same exports as this interface and blas.c). Its own module so the kernels
 * that call the addon import only its shape, not the loader.
 */
export interface BlasAddon {
  /** ADDON_INTERFACE_VERSION (native/addon.h); absent in addons built before it existed */
  interfaceVersion?(): number;
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  available(): boolean;
  status(): string;
  setThreads(n: number): void;
  /** Y[i] = exp(X[i]) and tanh(X[i]), vectorised (libmvec); absent in an addon built before them. */
  vexp?(x: Float32Array, y: Float32Array): void;
  vtanh?(x: Float32Array, y: Float32Array): void;
  /** The LSTM cell's elementwise part forward and backward (see fused-lstm.ts). */
  lstmCell?(
    gates: Float32Array,
    c: Float32Array,
    h: Float32Array,
    c2: Float32Array,
    acts: Float32Array,
    hidden: number,
  ): void;
  lstmCellGrad?(
    dh: Float32Array,
    dc2: Float32Array,
    c: Float32Array,
    c2: Float32Array,
    acts: Float32Array,
    dgates: Float32Array,
    dc: Float32Array,
    hidden: number,
  ): void;
  /** A whole LSTM layer forward and backward (see fused-lstm.ts): arrays, then the dimensions. */
  lstmSeq?(...arrays: [...Float32Array[], number[]]): void;
  lstmSeqGrad?(...arrays: [...Float32Array[], number[]]): void;
  /** The sum of squares of x (a gradient's squared norm). */
  sumSquares?(x: Float32Array, out: Float32Array): void;
  /** Row-wise log-softmax and its gradient (see fused-log-softmax.ts). */
  logSoftmax?(x: Float32Array, y: Float32Array, vocab: number): void;
  logSoftmaxGrad?(dy: Float32Array, y: Float32Array, dx: Float32Array, vocab: number): void;
  /** Per-token cross-entropy from the logits and its gradient (see fused-cross-entropy.ts). */
  crossEntropy?(
    x: Float32Array,
    targets: Int32Array,
    loss: Float32Array,
    nll: Float32Array,
    lse: Float32Array,
    smoothing: number,
    pad: number,
  ): void;
  crossEntropyGrad?(
    ...args: [
      x: Float32Array,
      targets: Int32Array,
      lse: Float32Array,
      dLoss: Float32Array,
      dNll: Float32Array,
      dx: Float32Array,
      smoothing: number,
      pad: number,
    ]
  ): void;
  /** Layer normalisation over the last dimension and its gradient (see fused-layer-norm.ts). */
  layerNorm?(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, epsilon: number): void;
  layerNormGrad?(
    dy: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    epsilon: number,
  ): void;
  /** One Bahdanau attention step and its gradient (see fused-attention.ts). */
  bahdanauAttend?(
    q: Float32Array,
    keys: Float32Array,
    v: Float32Array,
    bias: Float32Array,
    states: Float32Array,
    ctx: Float32Array,
    weights: Float32Array,
  ): void;
  bahdanauAttendGrad?(...arrays: [...Float32Array[], number[]]): void;
  /** One fused Adam update (see kernel-configs/fused-adam.ts). */
  adam?(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    p2: Float32Array,
    m2: Float32Array,
    v2: Float32Array,
    hyper: Float32Array,
  ): void;
}
