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

inline float Activate(float v, int32_t act, float alpha, float slope) {
  switch (act) {
    case kRelu: return v > 0.0f ? v : 0.0f;
    case kRelu6: return v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f;
    case kElu: return v > 0.0f ? v : std::expm1(v);
    case kLeakyRelu: return v > 0.0f ? v : alpha * v;
    case kPrelu: return v > 0.0f ? v : slope * v;
    case kSigmoid: return 1.0f / (1.0f + std::exp(-v));
    default: return v;
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
  for (int64_t r = 0; r < rows; r++) {
    float* row = c + r * cols;
    for (int64_t j = 0; j < cols; j++) {
      float v = row[j];
      if (bias) v += bias[biasSize == 1 ? 0 : j];
      const float slope = prelu ? prelu[preluSize == 1 ? 0 : j] : 0.0f;
      row[j] = Activate(v, act, alpha, slope);
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
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("config", Napi::Function::New(env, Config));
  return exports;
}

}  // namespace

NODE_API_MODULE(gradlab_blas, Init)
