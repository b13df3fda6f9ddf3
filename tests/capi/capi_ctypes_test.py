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


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
