// A pocketsphinx decoder with no knowledge of Node. Not thread-safe: the addon
// guarantees that only one thread uses an instance at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct ps_decoder_s;
struct logmath_s;

namespace sphinx {

struct Word {
  std::string word;
  int32_t startFrame;
  // Inclusive, as pocketsphinx reports it.
  int32_t endFrame;
  // Posterior 0..1; 0 when the decoder has none (partial result, no lattice).
  double prob;
};

struct Result {
  std::string hyp;
  double confidence = 0;
  int32_t frames = 0;
  std::vector<Word> words;
};

// Routes pocketsphinx logging away from stderr and keeps the first error
// of the calling thread, so failures can carry a useful message.
void InstallLogCapture();
std::string TakeLastLogError();

class Decoder {
 public:
  // args are pocketsphinx command-line pairs ("-hmm", "/path", ...).
  static std::unique_ptr<Decoder> Load(const std::vector<std::string>& args, std::string& error);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  int32_t framesPerSecond() const { return frate_; }

  bool DecodeFull(const std::vector<int16_t>& samples, Result& out, std::string& error);
  bool Start(std::string& error);
  bool Process(const std::vector<int16_t>& samples, std::string& error);
  bool Partial(Result& out, std::string& error);
  bool End(Result& out, std::string& error);

 private:
  Decoder() = default;
  bool BeginUtterance(std::string& error);
  bool FinishUtterance(std::string& error);
  void RestoreChannelState();
  Result Collect(bool final) const;

  std::vector<std::string> args_;
  ps_decoder_s* ps_ = nullptr;
  logmath_s* logmath_ = nullptr;
  bool bestpath_ = false;
  int32_t frate_ = 100;
  bool inUtterance_ = false;
  // Cepstral-mean state right after loading, restored before every utterance:
  // live CMN would otherwise carry the channel of whatever this pooled decoder
  // heard last (another client's audio) into the next result.
  int cmnType_ = 0;
  std::vector<float> cmnMean_;
  std::vector<float> cmnSum_;
  int32_t cmnFrames_ = 0;
};

}  // namespace sphinx
