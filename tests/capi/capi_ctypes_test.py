#!/usr/bin/python3
"""The C API from Python through ctypes (standard library only).

Usage: capi_ctypes_test.py LIBFUNASR_SO SOURCE_DIR
"""
import ctypes as C
import json
import os
import sys
import unittest

LIB_PATH = sys.argv[1] if len(sys.argv) > 1 else "libfunasr.so"
SOURCE_DIR = sys.argv[2] if len(sys.argv) > 2 else "."

OK, INVALID, IO, FORMAT, UNSUPPORTED, CANCELLED = 0, 1, 2, 3, 4, 5


class ContextParams(C.Structure):
    _fields_ = [
        ("vad_model", C.c_char_p),
        ("asr_model", C.c_char_p),
        ("punc_model", C.c_char_p),
        ("dtype", C.c_char_p),
        ("n_threads", C.c_int),
        ("max_segment_ms", C.c_int),
        ("max_end_silence_ms", C.c_int),
        ("vad_dynamic_silence", C.c_int),
        ("batch_seconds", C.c_float),
        ("sentence_info", C.c_int),
    ]


PROGRESS = C.CFUNCTYPE(C.c_int, C.c_float, C.c_int64, C.c_void_p)


class TranscribeParams(C.Structure):
    _fields_ = [
        ("key", C.c_char_p),
        ("hotwords", C.c_char_p),
        ("progress_callback", PROGRESS),
        ("progress_user_data", C.c_void_p),
        ("n_threads", C.c_int),
    ]


class Span(C.Structure):
    _fields_ = [("start_ms", C.c_int64), ("end_ms", C.c_int64)]


class Sentence(C.Structure):
    _fields_ = [
        ("text", C.c_char_p),
        ("start_ms", C.c_int64),
        ("end_ms", C.c_int64),
        ("n_tokens", C.c_int),
        ("tokens", C.POINTER(Span)),
    ]


def load():
    lib = C.CDLL(LIB_PATH)
    vp = C.c_void_p
    sigs = {
        "funasr_version": (C.c_char_p, []),
        "funasr_status_string": (C.c_char_p, [C.c_int]),
        "funasr_last_error": (C.c_char_p, []),
        "funasr_context_default_params": (ContextParams, []),
        "funasr_context_create": (C.c_int, [C.POINTER(ContextParams), C.POINTER(vp)]),
        "funasr_context_free": (None, [vp]),
        "funasr_context_has_vad": (C.c_int, [vp]),
        "funasr_context_has_asr": (C.c_int, [vp]),
        "funasr_context_has_punc": (C.c_int, [vp]),
        "funasr_state_create": (C.c_int, [vp, C.POINTER(vp)]),
        "funasr_state_free": (None, [vp]),
        "funasr_state_cancel": (C.c_int, [vp]),
        "funasr_state_reset": (C.c_int, [vp]),
        "funasr_state_last_error": (C.c_char_p, [vp]),
        "funasr_transcribe_default_params": (TranscribeParams, []),
        "funasr_transcribe_file": (C.c_int, [vp, vp, C.c_char_p, C.POINTER(TranscribeParams),
                                             C.POINTER(vp)]),
        "funasr_transcribe_pcm_f32": (C.c_int, [vp, vp, C.POINTER(C.c_float), C.c_size_t,
                                                C.c_int, C.POINTER(TranscribeParams),
                                                C.POINTER(vp)]),
        "funasr_transcribe_pcm_s16": (C.c_int, [vp, vp, C.POINTER(C.c_int16), C.c_size_t,
                                                C.c_int, C.POINTER(TranscribeParams),
                                                C.POINTER(vp)]),
        "funasr_punctuate": (C.c_int, [vp, C.c_char_p, C.POINTER(vp)]),
        "funasr_result_free": (None, [vp]),
        "funasr_result_key": (C.c_char_p, [vp]),
        "funasr_result_text": (C.c_char_p, [vp]),
        "funasr_result_raw_text": (C.c_char_p, [vp]),
        "funasr_result_json": (C.c_char_p, [vp]),
        "funasr_result_duration_ms": (C.c_double, [vp]),
        "funasr_result_n_sentences": (C.c_int, [vp]),
        "funasr_result_n_tokens": (C.c_int, [vp]),
        "funasr_result_n_vad_segments": (C.c_int, [vp]),
        "funasr_result_sentence": (C.c_int, [vp, C.c_int, C.POINTER(Sentence)]),
        "funasr_result_token": (C.c_int, [vp, C.c_int, C.POINTER(Span)]),
        "funasr_result_vad_segment": (C.c_int, [vp, C.c_int, C.POINTER(Span)]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args
    return lib


LIB = load()


def last_error():
    return LIB.funasr_last_error().decode("utf-8")


class CApiErrors(unittest.TestCase):
    def test_version_and_status(self):
        self.assertTrue(LIB.funasr_version())
        self.assertEqual(LIB.funasr_status_string(CANCELLED), b"cancelled")

    def test_defaults(self):
        p = LIB.funasr_context_default_params()
        self.assertEqual(p.max_segment_ms, 60000)
        self.assertEqual(p.vad_dynamic_silence, 1)
        self.assertEqual(p.dtype, b"auto")
        self.assertAlmostEqual(p.batch_seconds, 300.0)
        t = LIB.funasr_transcribe_default_params()
        self.assertIsNone(t.key)
        self.assertEqual(t.n_threads, 0)

    def test_no_model_and_missing_model(self):
        p = LIB.funasr_context_default_params()
        ctx = C.c_void_p(1)
        self.assertEqual(LIB.funasr_context_create(C.byref(p), C.byref(ctx)), INVALID)
        self.assertIsNone(ctx.value)
        self.assertIn("no model", last_error())
        p.asr_model = b"/nonexistent/paraformer"
        st = LIB.funasr_context_create(C.byref(p), C.byref(ctx))
        self.assertNotEqual(st, OK)
        self.assertIsNone(ctx.value)
        self.assertIn("/nonexistent/paraformer", last_error())
        p.max_segment_ms = 1
        self.assertEqual(LIB.funasr_context_create(C.byref(p), C.byref(ctx)), INVALID)
        self.assertIn("max_segment_ms", last_error())

    def test_null_handles(self):
        res = C.c_void_p(1)
        self.assertEqual(LIB.funasr_transcribe_file(None, None, b"a.wav", None, C.byref(res)),
                         INVALID)
        self.assertIsNone(res.value)
        self.assertEqual(LIB.funasr_punctuate(None, b"x", C.byref(res)), INVALID)
        self.assertEqual(LIB.funasr_state_cancel(None), INVALID)
        self.assertIsNone(LIB.funasr_result_text(None))
        self.assertIsNone(LIB.funasr_result_json(None))
        self.assertEqual(LIB.funasr_result_n_sentences(None), -INVALID)
        span = Span()
        self.assertEqual(LIB.funasr_result_token(None, 0, C.byref(span)), INVALID)
        LIB.funasr_result_free(None)
        LIB.funasr_context_free(None)
        LIB.funasr_state_free(None)


def read_wav(path):
    import array
    import wave
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        rate = w.getframerate()
        pcm = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        pcm.byteswap()
    return pcm, rate


class Context:
    """A funasr_context for the duration of a with-block."""

    def __init__(self, **models):
        self.params = LIB.funasr_context_default_params()
        for k, v in models.items():
            setattr(self.params, k, v.encode() if isinstance(v, str) else v)
        self.ctx = C.c_void_p()

    def __enter__(self):
        st = LIB.funasr_context_create(C.byref(self.params), C.byref(self.ctx))
        if st != OK:
            raise RuntimeError(last_error())
        return self.ctx

    def __exit__(self, *exc):
        LIB.funasr_context_free(self.ctx)


def transcribe_f32(ctx, samples, rate, params=None, state=None):
    buf = (C.c_float * len(samples))(*samples)
    res = C.c_void_p()
    st = LIB.funasr_transcribe_pcm_f32(ctx, state, buf, len(samples), rate,
                                       C.byref(params) if params else None, C.byref(res))
    return st, res


class CApiModels(unittest.TestCase):
    VAD = os.path.join(SOURCE_DIR, "models", "fsmn-vad")
    WAV = os.path.join(SOURCE_DIR, "tests", "data", "reference", "wavs", "vad_example.wav")
    PUNC = os.path.join(SOURCE_DIR, "tests", "data", "reference", "models", "ct-punc-tiny")

    def test_vad_segments_progress_and_threads(self):
        pcm, rate = read_wav(self.WAV)
        samples = [x / 32768.0 for x in pcm]
        with Context(vad_model=self.VAD, vad_dynamic_silence=0) as ctx:
            seen = []

            @PROGRESS
            def progress(fraction, segments, user):
                seen.append(fraction)
                return 0

            p = LIB.funasr_transcribe_default_params()
            p.key = b"vad_example"
            p.progress_callback = progress
            st, res = transcribe_f32(ctx, samples, rate, p)
            self.assertEqual(st, OK, last_error())
            doc = json.loads(LIB.funasr_result_json(res).decode("utf-8"))
            self.assertEqual(doc["key"], "vad_example")
            self.assertEqual(len(doc["value"]), 12)
            self.assertEqual(doc["value"][0], [70, 2340])
            self.assertEqual(doc["value"][-1], [59820, 70450])
            n = LIB.funasr_result_n_vad_segments(res)
            spans = []
            for i in range(n):
                sp = Span()
                self.assertEqual(LIB.funasr_result_vad_segment(res, i, C.byref(sp)), OK)
                spans.append([sp.start_ms, sp.end_ms])
            self.assertEqual(spans, doc["value"])
            LIB.funasr_result_free(res)
            self.assertEqual(seen, sorted(seen))
            self.assertEqual(seen[-1], 1.0)

            # One context, several threads at once (ctypes releases the GIL): equal results.
            import threading
            out = [None] * 3

            def work(i):
                st, r = transcribe_f32(ctx, samples, rate)
                out[i] = (st, LIB.funasr_result_json(r))
                LIB.funasr_result_free(r)

            threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for st, js in out:
                self.assertEqual(st, OK)
                self.assertEqual(json.loads(js)["value"], doc["value"])

            # Cancelled through a state.
            state = C.c_void_p()
            self.assertEqual(LIB.funasr_state_create(ctx, C.byref(state)), OK)
            self.assertEqual(LIB.funasr_state_cancel(state), OK)
            st, res = transcribe_f32(ctx, samples, rate, state=state)
            self.assertEqual(st, CANCELLED)
            self.assertIsNone(res.value)
            self.assertIn("cancel", LIB.funasr_state_last_error(state).decode())
            LIB.funasr_state_free(state)

    def test_full_pipeline_sentences_and_tokens(self):
        """VAD + BiCif + punctuation: FunASR's golden AutoModel result, via the accessors."""
        golden_path = os.path.join(SOURCE_DIR, "tests", "data", "reference", "pipeline",
                                   "bicif_vad_punc_vad_example_classic", "result.json")
        with open(golden_path, encoding="utf-8") as f:
            golden = json.load(f)[0]
        models = os.path.join(SOURCE_DIR, "tests", "data", "reference", "models")
        with Context(vad_model=self.VAD, vad_dynamic_silence=0,
                     asr_model=os.path.join(models, "bicif-paraformer-tiny"),
                     punc_model=self.PUNC) as ctx:
            self.assertEqual(LIB.funasr_context_has_asr(ctx), 1)
            res = C.c_void_p()
            st = LIB.funasr_transcribe_file(ctx, None, self.WAV.encode(), None, C.byref(res))
            self.assertEqual(st, OK, last_error())
            self.assertEqual(json.loads(LIB.funasr_result_json(res)), golden)
            self.assertEqual(LIB.funasr_result_text(res).decode(), golden["text"])
            tokens = []
            for i in range(LIB.funasr_result_n_tokens(res)):
                sp = Span()
                self.assertEqual(LIB.funasr_result_token(res, i, C.byref(sp)), OK)
                tokens.append([sp.start_ms, sp.end_ms])
            self.assertEqual(tokens, golden["timestamp"])
            sentences = []
            for i in range(LIB.funasr_result_n_sentences(res)):
                s = Sentence()
                self.assertEqual(LIB.funasr_result_sentence(res, i, C.byref(s)), OK)
                sentences.append({"text": s.text.decode(), "start": s.start_ms, "end": s.end_ms,
                                  "timestamp": [[s.tokens[k].start_ms, s.tokens[k].end_ms]
                                                for k in range(s.n_tokens)]})
            self.assertEqual(sentences, golden["sentence_info"])
            LIB.funasr_result_free(res)

    def test_punctuation(self):
        with Context(punc_model=self.PUNC) as ctx:
            res = C.c_void_p()
            self.assertEqual(LIB.funasr_punctuate(ctx, "今天天气很好我们去公园散步吧".encode(),
                                                  C.byref(res)), OK)
            self.assertEqual(LIB.funasr_result_text(res).decode(), "今，天天气很好我，们、去，公园散，步吧。")
            doc = json.loads(LIB.funasr_result_json(res))
            self.assertEqual(doc["punc_array"], [2, 1, 1, 1, 1, 1, 2, 5, 2, 1, 1, 2, 1, 3])
            LIB.funasr_result_free(res)
            self.assertEqual(LIB.funasr_punctuate(ctx, b"\xff\xfe", C.byref(res)), INVALID)
            self.assertIn("UTF-8", last_error())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
