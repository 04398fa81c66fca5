// Node binding: every pocketsphinx call runs on the libuv thread pool, and a
// decoder refuses (rejects) overlapping or post-destroy calls instead of racing.
#include <napi.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sphinx_decoder.h"

namespace {

struct AddonData {
  Napi::FunctionReference decoderClass;
};

Napi::Error CodedError(Napi::Env env, const std::string& message, const char* code) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

Napi::Promise Rejected(const Napi::Error& error) {
  auto deferred = Napi::Promise::Deferred::New(error.Env());
  deferred.Reject(error.Value());
  return deferred.Promise();
}

Napi::Object ResultToJs(Napi::Env env, const sphinx::Result& result) {
  Napi::Array words = Napi::Array::New(env, result.words.size());
  for (size_t i = 0; i < result.words.size(); ++i) {
    const sphinx::Word& word = result.words[i];
    Napi::Object js = Napi::Object::New(env);
    js.Set("word", word.word);
    js.Set("startFrame", word.startFrame);
    js.Set("endFrame", word.endFrame);
    js.Set("prob", word.prob);
    words.Set(static_cast<uint32_t>(i), js);
  }
  Napi::Object js = Napi::Object::New(env);
  js.Set("hyp", result.hyp);
  js.Set("confidence", result.confidence);
  js.Set("frames", result.frames);
  js.Set("words", words);
  return js;
}

// The worker thread must not read a JS buffer that can be collected or changed under it.
bool CopySamples(const Napi::Value& value, std::vector<int16_t>& out) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) return false;
  auto samples = value.As<Napi::TypedArrayOf<int16_t>>();
  const int16_t* data = samples.Data();
  if (data != nullptr) out.assign(data, data + samples.ElementLength());
  return true;
}

class DecoderWrap;

class DecoderTask : public Napi::AsyncWorker {
 public:
  using Work = std::function<bool(sphinx::Decoder&, sphinx::Result&, std::string&)>;

  DecoderTask(DecoderWrap* owner, sphinx::Decoder* decoder, Work work, bool returnsResult);
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    std::string error;
    try {
      if (!work_(*decoder_, result_, error)) SetError(error.empty() ? "decoder error" : error);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  DecoderWrap* owner_;
  // Keeps the JS object, hence the native decoder, alive until the work is done.
  Napi::ObjectReference self_;
  sphinx::Decoder* decoder_;
  Work work_;
  bool returnsResult_;
  sphinx::Result result_;
  Napi::Promise::Deferred deferred_;
};

class DecoderWrap : public Napi::ObjectWrap<DecoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Decoder",
                       {
                           InstanceMethod<&DecoderWrap::Decode>("decode"),
                           InstanceMethod<&DecoderWrap::Start>("start"),
                           InstanceMethod<&DecoderWrap::Process>("process"),
                           InstanceMethod<&DecoderWrap::Partial>("partial"),
                           InstanceMethod<&DecoderWrap::End>("end"),
                           InstanceMethod<&DecoderWrap::Destroy>("destroy"),
                           InstanceAccessor<&DecoderWrap::FramesPerSecond>("framesPerSecond"),
                           InstanceAccessor<&DecoderWrap::Busy>("busy"),
                           InstanceAccessor<&DecoderWrap::Destroyed>("destroyed"),
                       });
  }

  explicit DecoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DecoderWrap>(info) {
    if (info.Length() != 1 || !info[0].IsExternal()) {
      throw Napi::TypeError::New(info.Env(), "Decoder cannot be constructed directly; use load()");
    }
    decoder_.reset(info[0].As<Napi::External<sphinx::Decoder>>().Data());
    framesPerSecond_ = decoder_->framesPerSecond();
  }

  void Release() {
    busy_ = false;
    if (destroyed_) decoder_.reset();
  }

 private:
  Napi::Value Schedule(Napi::Env env, DecoderTask::Work work, bool returnsResult) {
    if (destroyed_) return Rejected(CodedError(env, "decoder destroyed", "ERR_DECODER_DESTROYED"));
    if (busy_) {
      return Rejected(CodedError(env, "decoder busy: calls must not overlap", "ERR_DECODER_BUSY"));
    }
    busy_ = true;
    auto* task = new DecoderTask(this, decoder_.get(), std::move(work), returnsResult);
    Napi::Promise promise = task->Promise();
    task->Queue();
    return promise;
  }

  Napi::Value Decode(const Napi::CallbackInfo& info) {
    auto samples = std::make_shared<std::vector<int16_t>>();
    if (!CopySamples(info[0], *samples)) {
      return Rejected(CodedError(info.Env(), "samples must be an Int16Array", "ERR_INVALID_ARG_TYPE"));
    }
    return Schedule(
        info.Env(),
        [samples](sphinx::Decoder& d, sphinx::Result& r, std::string& e) { return d.DecodeFull(*samples, r, e); },
        true);
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    return Schedule(info.Env(), [](sphinx::Decoder& d, sphinx::Result&, std::string& e) { return d.Start(e); },
                    false);
  }

  Napi::Value Process(const Napi::CallbackInfo& info) {
    auto samples = std::make_shared<std::vector<int16_t>>();
    if (!CopySamples(info[0], *samples)) {
      return Rejected(CodedError(info.Env(), "samples must be an Int16Array", "ERR_INVALID_ARG_TYPE"));
    }
    return Schedule(
        info.Env(),
        [samples](sphinx::Decoder& d, sphinx::Result&, std::string& e) { return d.Process(*samples, e); },
        false);
  }

  Napi::Value Partial(const Napi::CallbackInfo& info) {
    return Schedule(
        info.Env(), [](sphinx::Decoder& d, sphinx::Result& r, std::string& e) { return d.Partial(r, e); }, true);
  }

  Napi::Value End(const Napi::CallbackInfo& info) {
    return Schedule(
        info.Env(), [](sphinx::Decoder& d, sphinx::Result& r, std::string& e) { return d.End(r, e); }, true);
  }

  // Frees the model now, or as soon as the operation in flight finishes.
  void Destroy(const Napi::CallbackInfo&) {
    destroyed_ = true;
    if (!busy_) decoder_.reset();
  }

  Napi::Value FramesPerSecond(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), framesPerSecond_);
  }
  Napi::Value Busy(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), busy_); }
  Napi::Value Destroyed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), destroyed_); }

  std::unique_ptr<sphinx::Decoder> decoder_;
  int32_t framesPerSecond_ = 100;
  bool busy_ = false;
  bool destroyed_ = false;
};

DecoderTask::DecoderTask(DecoderWrap* owner, sphinx::Decoder* decoder, Work work, bool returnsResult)
    : Napi::AsyncWorker(owner->Env(), "SphinxDecoder"),
      owner_(owner),
      self_(Napi::Persistent(owner->Value())),
      decoder_(decoder),
      work_(std::move(work)),
      returnsResult_(returnsResult),
      deferred_(Napi::Promise::Deferred::New(owner->Env())) {}

void DecoderTask::OnOK() {
  owner_->Release();
  deferred_.Resolve(returnsResult_ ? Napi::Value(ResultToJs(Env(), result_)) : Env().Undefined());
}

void DecoderTask::OnError(const Napi::Error& error) {
  owner_->Release();
  Napi::Error coded = error;
  coded.Set("code", Napi::String::New(Env(), "ERR_SPHINX"));
  deferred_.Reject(coded.Value());
}

class LoadTask : public Napi::AsyncWorker {
 public:
  LoadTask(Napi::Env env, std::vector<std::string> args)
      : Napi::AsyncWorker(env, "SphinxLoad"), args_(std::move(args)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    std::string error;
    try {
      decoder_ = sphinx::Decoder::Load(args_, error);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!decoder_) SetError(error.empty() ? "cannot load the pocketsphinx model" : error);
  }

  void OnOK() override {
    Napi::Env env = Env();
    auto* data = env.GetInstanceData<AddonData>();
    Napi::Value handle = Napi::External<sphinx::Decoder>::New(env, decoder_.release());
    deferred_.Resolve(data->decoderClass.New({handle}));
  }

  void OnError(const Napi::Error& error) override {
    Napi::Error coded = error;
    coded.Set("code", Napi::String::New(Env(), "ERR_SPHINX_LOAD"));
    deferred_.Reject(coded.Value());
  }

 private:
  std::vector<std::string> args_;
  std::unique_ptr<sphinx::Decoder> decoder_;
  Napi::Promise::Deferred deferred_;
};

// load(["-hmm", dir, "-lm", file, ...]) → Promise<Decoder>. The model is read on the thread pool.
Napi::Value Load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    return Rejected(CodedError(env, "load() expects an array of option strings", "ERR_INVALID_ARG_TYPE"));
  }
  auto array = info[0].As<Napi::Array>();
  std::vector<std::string> args;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsString()) {
      return Rejected(CodedError(env, "load() options must all be strings", "ERR_INVALID_ARG_TYPE"));
    }
    args.push_back(item.As<Napi::String>().Utf8Value());
  }
  if (args.size() % 2 != 0) {
    return Rejected(CodedError(env, "load() options must be name/value pairs", "ERR_INVALID_ARG_VALUE"));
  }
  auto* task = new LoadTask(env, std::move(args));
  Napi::Promise promise = task->Promise();
  task->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  sphinx::InstallLogCapture();
  Napi::Function decoderClass = DecoderWrap::Define(env);
  auto* data = new AddonData{Napi::Persistent(decoderClass)};
  env.SetInstanceData<AddonData>(data);
  exports.Set("Decoder", decoderClass);
  exports.Set("load", Napi::Function::New<Load>(env, "load"));
  return exports;
}

}  // namespace

NODE_API_MODULE(sphinx_addon, Init)
