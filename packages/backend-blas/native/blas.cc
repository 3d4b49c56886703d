// gradlab's native kernels: OpenBLAS's sgemm and the elementwise work fused around it, run in
// place on the memory of the tfjs WASM backend that @gradlab/backend-blas builds on.
//
// Every kernel takes the WASM heap (an ArrayBuffer) and byte offsets into it. JavaScript looks
// the heap up again before every call, because a WASM malloc may grow (replace) it. Nothing here
// allocates tensors or keeps pointers between calls: tfjs owns all the memory.
#include <napi.h>
#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
// OpenBLAS's own entry points (declared in its cblas.h too, but not in every cblas.h).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}

namespace {

// Activation codes, shared with src/native.ts (FUSED_ACTIVATIONS).
enum Activation : int32_t {
  kLinear = 0,
  kRelu = 1,
  kRelu6 = 2,
  kElu = 3,
  kLeakyRelu = 4,
  kPrelu = 5,
  kSigmoid = 6,
};

float* At(uint8_t* heap, const Napi::Value& offset) {
  return reinterpret_cast<float*>(heap + static_cast<size_t>(offset.As<Napi::Number>().Int64Value()));
}

uint8_t* Heap(const Napi::CallbackInfo& info) {
  return static_cast<uint8_t*>(info[0].As<Napi::ArrayBuffer>().Data());
}

int32_t Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

// gemm(heap, a, b, c, batch, m, n, k, transA, transB, aBatchStride, bBatchStride)
// C[i] = op(A[i]) @ op(B[i]) for i < batch, row-major; a stride of 0 broadcasts one matrix.
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  const float* a = At(heap, info[1]);
  const float* b = At(heap, info[2]);
  float* c = At(heap, info[3]);
  const int32_t batch = Int(info, 4), m = Int(info, 5), n = Int(info, 6), k = Int(info, 7);
  const bool ta = info[8].As<Napi::Boolean>().Value();
  const bool tb = info[9].As<Napi::Boolean>().Value();
  const int64_t sa = info[10].As<Napi::Number>().Int64Value();
  const int64_t sb = info[11].As<Napi::Number>().Int64Value();
  if (k == 0) {
    std::memset(c, 0, sizeof(float) * static_cast<size_t>(batch) * m * n);
    return info.Env().Undefined();
  }
  const int lda = ta ? m : k, ldb = tb ? k : n;
  for (int32_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1.0f, a + i * sa, lda, b + i * sb, ldb, 0.0f, c + static_cast<int64_t>(i) * m * n, n);
  }
  return info.Env().Undefined();
}

// act(v) for one activation, chosen at compile time so that each loop below is a tight,
// vectorisable loop (a switch per element cost more than the arithmetic).
template <int32_t kAct>
inline float Activate(float v, float alpha, float slope) {
  if constexpr (kAct == kRelu) return v > 0.0f ? v : 0.0f;
  if constexpr (kAct == kRelu6) return v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f;
  if constexpr (kAct == kElu) return v > 0.0f ? v : std::expm1(v);
  if constexpr (kAct == kLeakyRelu) return v > 0.0f ? v : alpha * v;
  if constexpr (kAct == kPrelu) return v > 0.0f ? v : slope * v;
  if constexpr (kAct == kSigmoid) return 1.0f / (1.0f + std::exp(-v));
  return v;
}

template <int32_t kAct>
void BiasActivateRows(float* c, int64_t rows, int64_t cols, const float* bias, int64_t biasSize, float alpha,
                      const float* prelu, int64_t preluSize) {
  for (int64_t r = 0; r < rows; r++) {
    float* row = c + r * cols;
    if (bias && biasSize == cols) {
      for (int64_t j = 0; j < cols; j++) row[j] += bias[j];
    } else if (bias) {
      const float b = bias[0];
      for (int64_t j = 0; j < cols; j++) row[j] += b;
    }
    if constexpr (kAct == kPrelu) {
      for (int64_t j = 0; j < cols; j++) row[j] = Activate<kAct>(row[j], alpha, prelu[preluSize == 1 ? 0 : j]);
    } else if constexpr (kAct != kLinear) {
      for (int64_t j = 0; j < cols; j++) row[j] = Activate<kAct>(row[j], alpha, 0.0f);
    }
  }
}

// biasActivate(heap, c, rows, cols, bias, biasSize, act, alpha, prelu, preluSize)
// In place on C (rows x cols): C = act(C + bias), bias and prelu slopes broadcast over rows
// (size cols) or everywhere (size 1); an offset of -1 means none.
Napi::Value BiasActivate(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  float* c = At(heap, info[1]);
  const int64_t rows = info[2].As<Napi::Number>().Int64Value();
  const int64_t cols = info[3].As<Napi::Number>().Int64Value();
  const int64_t biasOffset = info[4].As<Napi::Number>().Int64Value();
  const int64_t biasSize = info[5].As<Napi::Number>().Int64Value();
  const int32_t act = Int(info, 6);
  const float alpha = info[7].As<Napi::Number>().FloatValue();
  const int64_t preluOffset = info[8].As<Napi::Number>().Int64Value();
  const int64_t preluSize = info[9].As<Napi::Number>().Int64Value();
  const float* bias = biasOffset >= 0 ? reinterpret_cast<float*>(heap + biasOffset) : nullptr;
  const float* prelu = preluOffset >= 0 ? reinterpret_cast<float*>(heap + preluOffset) : nullptr;
  switch (act) {
    case kRelu: BiasActivateRows<kRelu>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    case kRelu6: BiasActivateRows<kRelu6>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    case kElu: BiasActivateRows<kElu>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    case kLeakyRelu: BiasActivateRows<kLeakyRelu>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    case kPrelu: BiasActivateRows<kPrelu>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    case kSigmoid: BiasActivateRows<kSigmoid>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
    default: BiasActivateRows<kLinear>(c, rows, cols, bias, biasSize, alpha, prelu, preluSize); break;
  }
  return info.Env().Undefined();
}

// gather(heap, x, out, outer, axisSize, rowBytes, indices, count) -> -1, or the position of the
// first index outside [0, axisSize). x is [outer, axisSize, row], out is [outer, count, row]:
// rows are copied whole, whatever their element type.
Napi::Value Gather(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  const uint8_t* x = heap + info[1].As<Napi::Number>().Int64Value();
  uint8_t* out = heap + info[2].As<Napi::Number>().Int64Value();
  const int64_t outer = info[3].As<Napi::Number>().Int64Value();
  const int64_t axisSize = info[4].As<Napi::Number>().Int64Value();
  const int64_t rowBytes = info[5].As<Napi::Number>().Int64Value();
  const int32_t* indices = reinterpret_cast<const int32_t*>(heap + info[6].As<Napi::Number>().Int64Value());
  const int64_t count = info[7].As<Napi::Number>().Int64Value();
  for (int64_t i = 0; i < count; i++) {
    if (indices[i] < 0 || indices[i] >= axisSize) return Napi::Number::New(info.Env(), static_cast<double>(i));
  }
  for (int64_t o = 0; o < outer; o++) {
    const uint8_t* src = x + o * axisSize * rowBytes;
    uint8_t* dst = out + o * count * rowBytes;
    for (int64_t i = 0; i < count; i++) std::memcpy(dst + i * rowBytes, src + indices[i] * rowBytes, rowBytes);
  }
  return Napi::Number::New(info.Env(), -1);
}

// dz = dy * act'(y), the derivative of a fused activation from its output y (as model/dense.ts in
// @gradlab/core), one tight loop per activation.
template <int32_t kAct>
void ActivationGrad(const float* dy, const float* y, float* dz, int64_t size, float alpha) {
  for (int64_t i = 0; i < size; i++) {
    const float v = y[i];
    float d = 1.0f;
    if constexpr (kAct == kRelu) d = v > 0.0f ? 1.0f : 0.0f;
    if constexpr (kAct == kSigmoid) d = v * (1.0f - v);
    if constexpr (kAct == kElu) d = v > 0.0f ? 1.0f : v + 1.0f;
    if constexpr (kAct == kLeakyRelu) d = v > 0.0f ? 1.0f : alpha;
    dz[i] = dy[i] * d;
  }
}

// denseGrad(heap, dy, x, w, y, dz, dx, dw, db, rows, k, n, act, alpha): the gradient of
// y = act(x @ w + bias), x [rows, k], w [k, n]. dz (scratch, [rows, n]) = dy * act'(y), unless
// the activation is linear (dz offset -1: dy is used as is); dx = dz @ w^T (skipped when its
// offset is -1: no input gradient wanted); dw = x^T @ dz;
// db = column sums of dz, accumulated in double.
Napi::Value DenseGrad(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  const float* dy = At(heap, info[1]);
  const float* x = At(heap, info[2]);
  const float* w = At(heap, info[3]);
  const float* y = At(heap, info[4]);
  const int64_t dzOffset = info[5].As<Napi::Number>().Int64Value();
  const int64_t dxOffset = info[6].As<Napi::Number>().Int64Value();
  float* dx = dxOffset >= 0 ? reinterpret_cast<float*>(heap + dxOffset) : nullptr;
  float* dw = At(heap, info[7]);
  float* db = At(heap, info[8]);
  const int32_t rows = Int(info, 9), k = Int(info, 10), n = Int(info, 11), act = Int(info, 12);
  const float alpha = info[13].As<Napi::Number>().FloatValue();
  const float* dz = dy;
  if (dzOffset >= 0) {
    float* scratch = reinterpret_cast<float*>(heap + dzOffset);
    const int64_t size = static_cast<int64_t>(rows) * n;
    switch (act) {
      case kRelu: ActivationGrad<kRelu>(dy, y, scratch, size, alpha); break;
      case kSigmoid: ActivationGrad<kSigmoid>(dy, y, scratch, size, alpha); break;
      case kElu: ActivationGrad<kElu>(dy, y, scratch, size, alpha); break;
      case kLeakyRelu: ActivationGrad<kLeakyRelu>(dy, y, scratch, size, alpha); break;
      default: ActivationGrad<kLinear>(dy, y, scratch, size, alpha); break;
    }
    dz = scratch;
  }
  // Column sums, row by row (contiguous reads), accumulated in double.
  std::vector<double> sums(static_cast<size_t>(n), 0.0);
  for (int32_t r = 0; r < rows; r++) {
    const float* row = dz + static_cast<int64_t>(r) * n;
    for (int32_t j = 0; j < n; j++) sums[j] += row[j];
  }
  for (int32_t j = 0; j < n; j++) db[j] = static_cast<float>(sums[j]);
  if (rows == 0) {
    std::memset(dw, 0, sizeof(float) * static_cast<size_t>(k) * n);
    return info.Env().Undefined();
  }
  if (n == 0) {
    if (dx) std::memset(dx, 0, sizeof(float) * static_cast<size_t>(rows) * k);
    return info.Env().Undefined();
  }
  if (dx) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, k, n, 1.0f, dz, n, w, n, 0.0f, dx, k);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, rows, 1.0f, x, k, dz, n, 0.0f, dw, n);
  return info.Env().Undefined();
}

// squareSums(heap, offsets, sizes, out, root): out[i] = sum of x_i^2 over tensor i (or its square
// root, the L2 norm, when `root`), for tensors at the byte offsets and with the element counts
// of two Float64Arrays. Accumulated in double: the square of any float32 is a normal double, so
// nothing underflows or overflows and the float32 result is rounded once. NaN and Inf propagate.
Napi::Value SquareSums(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  Napi::Float64Array offsets = info[1].As<Napi::Float64Array>();
  Napi::Float64Array sizes = info[2].As<Napi::Float64Array>();
  float* out = At(heap, info[3]);
  const bool root = info[4].As<Napi::Boolean>().Value();
  for (size_t t = 0; t < offsets.ElementLength(); t++) {
    const float* x = reinterpret_cast<const float*>(heap + static_cast<int64_t>(offsets[t]));
    const int64_t n = static_cast<int64_t>(sizes[t]);
    double acc[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      for (int j = 0; j < 4; j++) acc[j] += static_cast<double>(x[i + j]) * x[i + j];
    }
    for (; i < n; i++) acc[0] += static_cast<double>(x[i]) * x[i];
    const double sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    out[t] = static_cast<float>(root ? std::sqrt(sum) : sum);
  }
  return info.Env().Undefined();
}

// sgdUpdate(heap, values, grads, outs, sizes, lr): out = value + (-lr) * grad for each of the
// tensors at the byte offsets of four Float64Arrays, rounded as tfjs's SGD rounds it: the
// product, then the sum (binding.gyp turns off floating-point contraction into an FMA).
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  uint8_t* heap = Heap(info);
  Napi::Float64Array values = info[1].As<Napi::Float64Array>();
  Napi::Float64Array grads = info[2].As<Napi::Float64Array>();
  Napi::Float64Array outs = info[3].As<Napi::Float64Array>();
  Napi::Float64Array sizes = info[4].As<Napi::Float64Array>();
  const float step = -info[5].As<Napi::Number>().FloatValue();
  for (size_t t = 0; t < values.ElementLength(); t++) {
    const float* v = reinterpret_cast<const float*>(heap + static_cast<int64_t>(values[t]));
    const float* g = reinterpret_cast<const float*>(heap + static_cast<int64_t>(grads[t]));
    float* out = reinterpret_cast<float*>(heap + static_cast<int64_t>(outs[t]));
    const int64_t n = static_cast<int64_t>(sizes[t]);
    for (int64_t i = 0; i < n; i++) {
      const float product = step * g[i];
      out[i] = product + v[i];
    }
  }
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  openblas_set_num_threads(Int(info, 0));
  return info.Env().Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Value Config(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::string(openblas_get_config()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("biasActivate", Napi::Function::New(env, BiasActivate));
  exports.Set("gather", Napi::Function::New(env, Gather));
  exports.Set("denseGrad", Napi::Function::New(env, DenseGrad));
  exports.Set("squareSums", Napi::Function::New(env, SquareSums));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("config", Napi::Function::New(env, Config));
  return exports;
}

}  // namespace

NODE_API_MODULE(gradlab_blas, Init)
