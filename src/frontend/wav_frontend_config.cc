// WavFrontendOptions::FromConfig lives apart from wav_frontend.cc so that users of the
// frontend who build options in code do not pull in the YAML config reader.
#include "frontend/wav_frontend.h"

namespace funasr::frontend {

WavFrontendOptions WavFrontendOptions::FromConfig(const io::ConfigReader& conf) {
  WavFrontendOptions o;
  o.fs = static_cast<int>(conf.GetInt("fs", o.fs));
  o.window = conf.GetString("window", o.window);
  o.n_mels = static_cast<int>(conf.GetInt("n_mels", o.n_mels));
  o.frame_length = conf.GetDouble("frame_length", o.frame_length);
  o.frame_shift = conf.GetDouble("frame_shift", o.frame_shift);
  o.lfr_m = static_cast<int>(conf.GetInt("lfr_m", o.lfr_m));
  o.lfr_n = static_cast<int>(conf.GetInt("lfr_n", o.lfr_n));
  o.upsacle_samples = conf.GetBool("upsacle_samples", o.upsacle_samples);
  o.snip_edges = conf.GetBool("snip_edges", o.snip_edges);
  (void)conf.GetDouble("dither", 1.0);  // type-checked only; see the header
  if (o.fs <= 0) conf.Fail("fs", "must be > 0");
  if (o.n_mels <= 0) conf.Fail("n_mels", "must be > 0");
  if (o.lfr_m <= 0) conf.Fail("lfr_m", "must be > 0");
  if (o.lfr_n <= 0) conf.Fail("lfr_n", "must be > 0");
  if (!(o.frame_length > 0)) conf.Fail("frame_length", "must be > 0 ms");
  if (!(o.frame_shift > 0)) conf.Fail("frame_shift", "must be > 0 ms");
  if (!o.snip_edges) conf.Fail("snip_edges", "only snip_edges: true is supported");
  return o;
}

}  // namespace funasr::frontend
