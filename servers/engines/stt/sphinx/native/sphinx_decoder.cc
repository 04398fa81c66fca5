#include "sphinx_decoder.h"

#include <pocketsphinx.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/logmath.h>

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <type_traits>

static_assert(std::is_same<mfcc_t, float>::value, "expects a floating-point sphinxbase build");

namespace sphinx {
namespace {

thread_local std::string lastLogError;

// Keeps the first error since the last TakeLastLogError(): the root
// cause comes first, and the messages after it only say that loading gave up.
void CaptureLog(void* /*userData*/, err_lvl_t level, const char* format, ...) {
  if (level < ERR_ERROR || !lastLogError.empty()) return;
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  std::string text(message);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  lastLogError = text;
}

// Fillers (<s>, </s>, <sil>, [NOISE], [SPEECH]) are not words a client said.
bool IsWord(const std::string& token) {
  return !token.empty() && token[0] != '<' && token[0] != '[' && token[0] != '+';
}

// Alternate pronunciations are spelled "word(2)" in the dictionary.
std::string BaseWord(std::string token) {
  if (token.size() > 2 && token.back() == ')') {
    const size_t open = token.rfind('(');
    if (open != std::string::npos && open > 0 &&
        std::all_of(token.begin() + open + 1, token.end() - 1, [](char c) { return std::isdigit(c); })) {
      token.erase(open);
    }
  }
  return token;
}

std::string CleanHyp(const char* hyp) {
  if (hyp == nullptr) return "";
  std::istringstream tokens(hyp);
  std::string token;
  std::string out;
  while (tokens >> token) {
    if (!IsWord(token)) continue;
    if (!out.empty()) out += ' ';
    out += BaseWord(token);
  }
  return out;
}

std::string WithLog(const std::string& what) {
  const std::string log = TakeLastLogError();
  return log.empty() ? what : what + ": " + log;
}

}  // namespace

void InstallLogCapture() {
  // A log file (-logfn) would be process-global and reopened by every ps_init,
  // racing with decoders logging on other threads; a callback has no such state.
  err_set_logfp(nullptr);
  err_set_callback(CaptureLog, nullptr);
}

std::string TakeLastLogError() {
  std::string error;
  error.swap(lastLogError);
  return error;
}

std::unique_ptr<Decoder> Decoder::Load(const std::vector<std::string>& args, std::string& error) {
  TakeLastLogError();
  std::unique_ptr<Decoder> decoder(new Decoder());
  // sphinxbase keeps pointers to the option names, so they must live as long as the decoder.
  decoder->args_ = args;
  std::vector<char*> argv{const_cast<char*>("sphinx")};
  for (std::string& arg : decoder->args_) argv.push_back(&arg[0]);
  cmd_ln_t* config = cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE);
  if (config == nullptr) {
    error = WithLog("invalid decoder options");
    return nullptr;
  }
  decoder->ps_ = ps_init(config);
  cmd_ln_free_r(config);
  if (decoder->ps_ == nullptr) {
    error = WithLog("cannot load the pocketsphinx model");
    return nullptr;
  }
  cmd_ln_t* active = ps_get_config(decoder->ps_);
  decoder->logmath_ = ps_get_logmath(decoder->ps_);
  decoder->bestpath_ = cmd_ln_boolean_r(active, "-bestpath");
  decoder->frate_ = cmd_ln_int32_r(active, "-frate");

  feat_t* feat = ps_get_feat(decoder->ps_);
  const cmn_t* cmn = feat->cmn_struct;
  decoder->cmnType_ = feat->cmn;
  if (cmn != nullptr) {
    decoder->cmnMean_.assign(cmn->cmn_mean, cmn->cmn_mean + cmn->veclen);
    decoder->cmnSum_.assign(cmn->sum, cmn->sum + cmn->veclen);
    decoder->cmnFrames_ = cmn->nframe;
  }
  return decoder;
}

Decoder::~Decoder() {
  if (ps_ != nullptr) ps_free(ps_);
}

void Decoder::RestoreChannelState() {
  feat_t* feat = ps_get_feat(ps_);
  cmn_t* cmn = feat->cmn_struct;
  // Streaming switches the feature extractor to live CMN; a whole-utterance decode wants batch CMN back.
  feat->cmn = static_cast<cmn_type_t>(cmnType_);
  if (cmn == nullptr || cmnMean_.size() != static_cast<size_t>(cmn->veclen)) return;
  std::copy(cmnMean_.begin(), cmnMean_.end(), cmn->cmn_mean);
  std::copy(cmnSum_.begin(), cmnSum_.end(), cmn->sum);
  cmn->nframe = cmnFrames_;
}

bool Decoder::BeginUtterance(std::string& error) {
  TakeLastLogError();
  if (inUtterance_) {
    // An abandoned stream: its result is of no use to anyone.
    ps_end_utt(ps_);
    inUtterance_ = false;
  }
  RestoreChannelState();
  // A new stream restarts frame numbering at 0 and resets the noise estimate, so
  // times are relative to this utterance and the result does not depend on the
  // audio this pooled decoder decoded before.
  if (ps_start_stream(ps_) < 0 || ps_start_utt(ps_) < 0) {
    error = WithLog("cannot start an utterance");
    return false;
  }
  inUtterance_ = true;
  return true;
}

bool Decoder::FinishUtterance(std::string& error) {
  inUtterance_ = false;
  if (ps_end_utt(ps_) < 0) {
    error = WithLog("cannot finish the utterance");
    return false;
  }
  return true;
}

bool Decoder::DecodeFull(const std::vector<int16_t>& samples, Result& out, std::string& error) {
  if (!BeginUtterance(error)) return false;
  // full_utt lets pocketsphinx normalise the cepstral mean over the whole clip (batch CMN).
  if (!samples.empty() && ps_process_raw(ps_, samples.data(), samples.size(), FALSE, TRUE) < 0) {
    error = WithLog("decoding failed");
    std::string ignored;
    FinishUtterance(ignored);
    return false;
  }
  if (!FinishUtterance(error)) return false;
  out = Collect(true);
  return true;
}

bool Decoder::Start(std::string& error) { return BeginUtterance(error); }

bool Decoder::Process(const std::vector<int16_t>& samples, std::string& error) {
  TakeLastLogError();
  if (!inUtterance_) {
    error = "no utterance in progress";
    return false;
  }
  if (samples.empty()) return true;
  if (ps_process_raw(ps_, samples.data(), samples.size(), FALSE, FALSE) < 0) {
    error = WithLog("decoding failed");
    return false;
  }
  return true;
}

bool Decoder::Partial(Result& out, std::string& error) {
  if (!inUtterance_) {
    error = "no utterance in progress";
    return false;
  }
  out = Collect(false);
  return true;
}

bool Decoder::End(Result& out, std::string& error) {
  if (!inUtterance_) {
    error = "no utterance in progress";
    return false;
  }
  if (!FinishUtterance(error)) return false;
  out = Collect(true);
  return true;
}

Result Decoder::Collect(bool final) const {
  Result result;
  result.frames = ps_get_n_frames(ps_);
  int32 score = 0;
  result.hyp = CleanHyp(ps_get_hyp(ps_, &score));
  // Posteriors exist only for a finished utterance decoded through a lattice;
  // elsewhere pocketsphinx returns log 0 (= 1.0), which would be a lie.
  const bool posteriors = final && bestpath_ && !result.hyp.empty() && ps_get_lattice(ps_) != nullptr;
  auto toProb = [this](int32 logProb) {
    return std::clamp(static_cast<double>(logmath_exp(logmath_, logProb)), 0.0, 1.0);
  };
  if (posteriors) result.confidence = toProb(ps_get_prob(ps_));
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg != nullptr; seg = ps_seg_next(seg)) {
    const char* name = ps_seg_word(seg);
    if (name == nullptr || !IsWord(name)) continue;
    int start = 0;
    int end = 0;
    ps_seg_frames(seg, &start, &end);
    int32 acoustic = 0;
    int32 language = 0;
    int32 backoff = 0;
    const int32 logProb = ps_seg_prob(seg, &acoustic, &language, &backoff);
    result.words.push_back(Word{BaseWord(name), start, end, posteriors ? toProb(logProb) : 0.0});
  }
  return result;
}

}  // namespace sphinx
