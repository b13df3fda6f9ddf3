// Writes the audio fuzzer's seed corpus: 0.1-0.2 s of a chirp in every container and sample
// format libsndfile can write (so that the fuzzer starts inside every decoder), plus odd but
// valid shapes (6 channels, 8 kHz, 44.1 kHz).
//
//   make_audio_seeds OUTPUT_DIR
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_audio_seeds OUTPUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  struct Seed {
    const char* name;
    int format;
    int rate;
    int channels;
  };
  const Seed seeds[] = {
      {"pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1},
      {"pcm24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 16000, 1},
      {"pcm32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 16000, 2},
      {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8000, 1},
      {"float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1},
      {"double.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 16000, 1},
      {"ulaw.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1},
      {"alaw.wav", SF_FORMAT_WAV | SF_FORMAT_ALAW, 8000, 1},
      {"ima_adpcm.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 16000, 1},
      {"ms_adpcm.wav", SF_FORMAT_WAV | SF_FORMAT_MS_ADPCM, 16000, 1},
      {"gsm610.wav", SF_FORMAT_WAV | SF_FORMAT_GSM610, 8000, 1},
      {"wavex6.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 48000, 6},
      {"rf64.wav", SF_FORMAT_RF64 | SF_FORMAT_PCM_16, 16000, 1},
      {"w64.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16, 16000, 1},
      {"aiff.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 44100, 2},
      {"au.au", SF_FORMAT_AU | SF_FORMAT_PCM_16, 16000, 1},
      {"caf.caf", SF_FORMAT_CAF | SF_FORMAT_PCM_16, 16000, 1},
      {"ircam.sf", SF_FORMAT_IRCAM | SF_FORMAT_PCM_16, 16000, 1},
      {"voc.voc", SF_FORMAT_VOC | SF_FORMAT_PCM_16, 16000, 1},
      {"nist.wav", SF_FORMAT_NIST | SF_FORMAT_PCM_16, 16000, 1},
      {"paf.paf", SF_FORMAT_PAF | SF_FORMAT_PCM_16, 16000, 1},
      {"svx.8svx", SF_FORMAT_SVX | SF_FORMAT_PCM_16, 16000, 1},
      {"htk.htk", SF_FORMAT_HTK | SF_FORMAT_PCM_16, 16000, 1},
      {"sds.sds", SF_FORMAT_SDS | SF_FORMAT_PCM_16, 16000, 1},
      {"mat5.mat", SF_FORMAT_MAT5 | SF_FORMAT_PCM_16, 16000, 1},
      {"flac16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1},
      {"flac24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 22050, 2},
      {"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 1},
      {"opus.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 16000, 1},
      {"mp3.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 1},
  };
  int written = 0;
  for (const Seed& s : seeds) {
    SF_INFO info{};
    info.samplerate = s.rate;
    info.channels = s.channels;
    info.format = s.format;
    const std::string path = dir + "/" + s.name;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) {
      std::fprintf(stderr, "  (skipped %s: %s)\n", s.name, sf_strerror(nullptr));
      continue;
    }
    const int frames = s.rate / 8;
    std::vector<double> x(static_cast<size_t>(frames) * s.channels);
    for (int i = 0; i < frames; ++i)
      for (int c = 0; c < s.channels; ++c)
        x[static_cast<size_t>(i) * s.channels + c] =
            0.4 * std::sin(0.002 * i * i / (c + 1.0)) * (i % 400 < 300 ? 1 : 0.1);
    sf_writef_double(f, x.data(), frames);
    sf_close(f);
    ++written;
  }
  std::printf("%d audio seeds in %s\n", written, dir.c_str());
  return 0;
}
