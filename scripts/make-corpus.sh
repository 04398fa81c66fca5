#!/usr/bin/env bash
# Regenerates the committed speech corpus: bench/corpus/audio/*.wav and bench/corpus/manifest.json,
# from bench/corpus/intents.json and the long dictation texts below.
#
#   bash scripts/make-corpus.sh
#
# Needs flite (with the slt, rms and awb voices), sox and node; only this script does. The benchmark
# itself reads the committed WAV files and never needs flite or sox.
#
# The output is deterministic: running the script twice gives byte-identical files (flite is
# deterministic, sox runs with -R (fixed random seed) and -D (no dither)). The audio directory is
# rebuilt from scratch each time, so stale clips never survive.
#
# Every clip is 16 kHz, mono, signed 16-bit little-endian PCM in a canonical 44-byte WAV header.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/bench/corpus"
intents="$corpus/intents.json"
rate=16000

# --- Requirements ------------------------------------------------------------------------------
missing=()
for tool in flite sox soxi node; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  {
    echo "make-corpus: missing tool(s): ${missing[*]}"
    echo "  flite and sox are needed only to regenerate the corpus (nothing at run time needs them)."
    echo "  On Debian/Ubuntu: sudo apt-get install -y flite sox"
  } >&2
  exit 1
fi
voices="$(flite -lv)"
for voice in slt rms awb; do
  if [[ " $voices " != *" $voice "* ]]; then
    echo "make-corpus: flite has no '$voice' voice (flite -lv: $voices); install Debian's flite package" >&2
    exit 1
  fi
done
[[ -f "$intents" ]] || {
  echo "make-corpus: $intents not found" >&2
  exit 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/audio"
mkdir -p "$out"
clips="$tmp/clips.tsv" # id, kind, voice, label ('' = null), split, text: one clip a line
: >"$clips"

# sox: -R repeatable (fixed seed for noise), -D no dither, -V1 errors only.
# -t wavpcm forces the plain 44-byte PCM header (no WAVE_FORMAT_EXTENSIBLE, no LIST chunk).
sox_out=(-t wavpcm -r "$rate" -c 1 -b 16 -e signed-integer)

# synth VOICE TEXT OUT: flite, then 16 kHz mono PCM16 with 0.3 s of silence at each end.
synth() {
  flite -voice "$1" -t "$2" -o "$tmp/raw.wav"
  sox -R -D -V1 "$tmp/raw.wav" "${sox_out[@]}" "$3" pad 0.3 0.3
}

# pad_to IN OUT SECONDS: appends silence so the clip lasts exactly SECONDS.
pad_to() {
  local have want
  have="$(soxi -s "$1")"
  want=$(($3 * rate))
  if ((have > want)); then
    echo "make-corpus: $(basename "$2") is $have samples, longer than the ${3} s target; shorten its text" >&2
    exit 1
  fi
  sox -R -D -V1 "$1" "${sox_out[@]}" "$2" pad 0 "$((want - have))s"
}

# stat_db FILE NAME: one number from `sox FILE -n stats`, e.g. 'RMS lev dB'.
stat_db() {
  sox -R -D "$1" -n stats 2>&1 | awk -v name="$2" 'index($0, name) == 1 { print $NF; exit }'
}

# add_noise CLEAN OUT ORDINAL: mixes in pink noise at 15 dB SNR (odd ordinals) or white noise at
# 20 dB SNR (even ordinals), relative to the RMS level of the whole clean clip. Each ordinal takes a
# different stretch of the (fixed-seed) noise so the variants do not share the same noise.
add_noise() {
  local samples offset colour snr speech noise factor
  samples="$(soxi -s "$1")"
  offset=$(($3 * 4000))
  if (($3 % 2 == 1)); then colour=pinknoise snr=15; else colour=whitenoise snr=20; fi
  sox -R -D -V1 -r "$rate" -c 1 -n "${sox_out[@]}" "$tmp/noise.wav" synth "$((samples + offset))s" "$colour" trim "${offset}s"
  if [[ "$(soxi -s "$tmp/noise.wav")" != "$samples" ]]; then
    echo "make-corpus: noise for $(basename "$2") does not have $samples samples" >&2
    exit 1
  fi
  speech="$(stat_db "$1" 'RMS lev dB')"
  noise="$(stat_db "$tmp/noise.wav" 'RMS lev dB')"
  factor="$(awk -v s="$speech" -v n="$noise" -v snr="$snr" 'BEGIN { printf "%.6f", 10 ^ ((s - snr - n) / 20) }')"
  sox -R -D -V1 -m -v 1 "$1" -v "$factor" "$tmp/noise.wav" "${sox_out[@]}" "$2"
  local peak
  peak="$(stat_db "$2" 'Pk lev dB')"
  if awk -v p="$peak" 'BEGIN { exit !(p > -0.5) }'; then
    echo "make-corpus: $(basename "$2") is clipping (peak $peak dB)" >&2
    exit 1
  fi
}

# record ID KIND VOICE LABEL SPLIT TEXT
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$clips"
}

# --- Commands (one clip each) and their noisy variants -----------------------------------------
# Voices alternate slt (odd numbers) / rms (even numbers); numbers ending in 7 use awb instead.
# Every seventh command (1, 8, 15, ... 64) also gets a noisy variant.
count=0
noisy=0
while IFS=$'\t' read -r n text label split <&3; do
  num="$(printf '%03d' "$n")"
  if ((n % 10 == 7)); then voice=awb; elif ((n % 2 == 1)); then voice=slt; else voice=rms; fi
  id="cmd-$num-$voice"
  synth "$voice" "$text" "$out/$id.wav"
  record "$id" command "$voice" "$label" "$split" "$text"
  count=$((count + 1))
  if ((n % 7 == 1)); then
    noisy=$((noisy + 1))
    add_noise "$out/$id.wav" "$out/noisy-$num-$voice.wav" "$noisy"
    record "noisy-$num-$voice" noisy "$voice" "$label" "$split" "$text"
  fi
  if ((n == 1)); then
    # The "3 s audio" payload: the first command padded to exactly 3 s.
    pad_to "$out/$id.wav" "$out/short3s-$num-$voice.wav" 3
    record "short3s-$num-$voice" short3s "$voice" "$label" "$split" "$text"
  fi
done 3< <(node -e '
  const { commands } = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  commands.forEach((c, i) => {
    if (!/^[a-z]+( [a-z]+)*$/.test(c.text)) throw new Error(`intents.json: bad text ${JSON.stringify(c.text)}`);
    process.stdout.write(`${i + 1}\t${c.text}\t${c.label}\t${c.split}\n`);
  });
' "$intents")
echo "make-corpus: $count command clips, $noisy noisy variants"

# --- Long dictation clips ----------------------------------------------------------------------
# Padded with trailing silence to exactly 20 s, 30 s ("30 s audio" payload) and 50 s.
# Plain lowercase words; a full stop marks a sentence break (for flite's prosody only).
long_memo="hi it is me with a quick voice memo about the week. on monday i have the team meeting in \
the morning and then lunch with my sister. tuesday and wednesday are busy with the new project so i \
should not plan anything in the evening. on friday i want to leave early and go for a long walk by \
the river. and remember to call the dentist about next month."

long_note="hello maria this is a short note about the report we talked about yesterday. i read your \
draft last night and i think it looks very good. the first part is clear and easy to follow but the \
second part needs a few more examples. could you also add a short summary at the end for the people \
who only read the last page. i will be out of the office tomorrow morning so please send me the new \
version after lunch. thank you again for all the work you put into this report."

long_errands="okay here is the plan for saturday. first i need to go to the bank when it opens and \
then drop off the old books at the library. after that i will stop at the bakery for a loaf of bread \
and a few rolls. at the supermarket we need milk eggs butter cheese apples bananas rice and a big bag \
of coffee. we are also out of soap and paper towels so do not forget those. on the way back i want to \
pick up the shirts from the dry cleaner and buy a birthday card for my brother. if there is still time \
i will wash the car and water the plants in the garden. in the evening we are having dinner with our \
neighbors so i should bake a cake in the afternoon. it would be nice to be home before six so that we \
can rest a little before they arrive. on sunday we can sleep late and then take the children to the \
park. i also want to clean the kitchen and plan the meals for next week so that we do not have to go \
shopping again."

# long NAME SECONDS VOICE TEXT
long() {
  local id="long-${2}s-$1-$3" reference
  synth "$3" "$4" "$tmp/long.wav"
  pad_to "$tmp/long.wav" "$out/$id.wav" "$2"
  reference="$(printf '%s' "$4" | tr -d '.' | tr -s ' ')"
  record "$id" long "$3" '' dev "$reference"
}
long memo 20 slt "$long_memo"
long note 30 rms "$long_note"
long errands 50 slt "$long_errands"

# --- Manifest ----------------------------------------------------------------------------------
node -e '
  const fs = require("node:fs");
  const path = require("node:path");
  const crypto = require("node:crypto");
  const [clipsTsv, audioDir, manifestOut, rate] = process.argv.slice(1);
  const sha256 = (b) => crypto.createHash("sha256").update(b).digest("hex");
  const clips = fs.readFileSync(clipsTsv, "utf8").split("\n").filter(Boolean).map((line) => {
    const [id, kind, voice, label, split, text] = line.split("\t");
    if (!/^[a-z]+( [a-z]+)*$/.test(text)) throw new Error(`${id}: bad reference text ${JSON.stringify(text)}`);
    const wav = fs.readFileSync(path.join(audioDir, `${id}.wav`));
    const fail = (why) => { throw new Error(`${id}.wav: ${why}`); };
    if (wav.length < 44 || (wav.length - 44) % 2 !== 0) fail(`bad size ${wav.length}`);
    if (wav.toString("latin1", 0, 4) !== "RIFF" || wav.toString("latin1", 8, 16) !== "WAVEfmt ") fail("not RIFF/WAVE");
    if (wav.readUInt32LE(4) !== wav.length - 8) fail("RIFF size");
    if (wav.readUInt32LE(16) !== 16 || wav.readUInt16LE(20) !== 1) fail("fmt chunk is not plain 16-byte PCM");
    if (wav.readUInt16LE(22) !== 1 || wav.readUInt32LE(24) !== Number(rate)) fail("not mono at the sample rate");
    if (wav.readUInt32LE(28) !== Number(rate) * 2 || wav.readUInt16LE(32) !== 2 || wav.readUInt16LE(34) !== 16) fail("not 16-bit");
    if (wav.toString("latin1", 36, 40) !== "data" || wav.readUInt32LE(40) !== wav.length - 44) fail("header is not 44 bytes");
    const samples = (wav.length - 44) / 2;
    return {
      id, file: `audio/${id}.wav`, text, label: label === "" ? null : label, split, voice, kind,
      durationSeconds: Math.round(samples / (Number(rate) / 1000)) / 1000,
      sha256: sha256(wav), pcmSha256: sha256(wav.subarray(44)),
    };
  });
  clips.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const manifest = { version: 1, sampleRateHertz: Number(rate), encoding: "WAV", clips };
  fs.writeFileSync(manifestOut, `${JSON.stringify(manifest, null, 2)}\n`);
' "$clips" "$out" "$tmp/manifest.json" "$rate"

# --- Install -----------------------------------------------------------------------------------
rm -rf "$corpus/audio"
mv "$out" "$corpus/audio"
mv "$tmp/manifest.json" "$corpus/manifest.json"
echo "make-corpus: wrote $(find "$corpus/audio" -name '*.wav' | wc -l) clips to bench/corpus/audio" \
  "and bench/corpus/manifest.json ($(du -sh "$corpus" | cut -f1) in bench/corpus)"
