#!/usr/bin/python3
"""Behaviour of the funasr-transcribe binary: options, outputs, exit codes, error cases.

Usage: transcribe_cli_test.py FUNASR_TRANSCRIBE SOURCE_DIR TMP_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

BIN, SRC, TMP = (os.path.abspath(a) for a in sys.argv[1:4])
DATA = os.path.join(SRC, "tests", "data", "reference")
VAD = os.path.join(SRC, "models", "fsmn-vad")
PUNC = os.path.join(DATA, "models", "ct-punc-tiny")
WAV = os.path.join(DATA, "wavs", "vad_example.wav")
WAV2 = os.path.join(DATA, "wavs", "zh_3s.wav")
CLASSIC = [[70, 2340], [2620, 6200], [6480, 23670], [23950, 26250], [26780, 28990],
           [29950, 31430], [31750, 37600], [38210, 46900], [47310, 49630], [49910, 56460],
           [56740, 59540], [59820, 70450]]
PUNC_IN = "今天天气很好我们去公园散步吧"
PUNC_OUT = "今，天天气很好我，们、去，公园散，步吧。"


def run(*args, stdin=None):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def fresh(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


class Usage(unittest.TestCase):
    def test_help_lists_every_option(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        for opt in ["--vad-model", "--asr-model", "--punc-model", "--hotwords", "--hotword-file",
                    "--format", "--output-dir", "--threads", "--batch-seconds",
                    "--max-segment-ms", "--max-end-silence-ms", "--vad-dynamic-silence",
                    "--dtype", "--quiet", "--help", "--text", "--shard", "wav.scp",
                    "txt", "json", "jsonl", "srt", "vtt"]:
            self.assertIn(opt, out)

    def expect_usage(self, *args, msg=None):
        code, out, err = run(*args)
        self.assertEqual(code, 2, f"{args}: {err}")
        self.assertEqual(out, "")
        if msg:
            self.assertIn(msg, err)

    def test_bad_usage_exits_2(self):
        self.expect_usage(msg="give at least one model")  # nothing at all
        self.expect_usage(WAV, msg="give at least one model")
        self.expect_usage("--vad-model", VAD, msg="no input")
        self.expect_usage("--no-such-option", "--vad-model", VAD, WAV)
        self.expect_usage("--vad-model", VAD, "--format", "docx", WAV, msg="docx")
        self.expect_usage("--vad-model", VAD, "--threads", "-1", WAV)
        self.expect_usage("--vad-model", VAD, "--max-segment-ms", "10", WAV)
        self.expect_usage("--vad-model", VAD, "--vad-dynamic-silence", "maybe", WAV)
        self.expect_usage("--vad-model", VAD, "--vad-dynamic-silence", "on",
                          "--max-end-silence-ms", "500", WAV, msg="cannot be combined")
        self.expect_usage("--vad-model", VAD, "--shard", "2/2", WAV, msg="--shard")
        self.expect_usage("--vad-model", VAD, "--text", "abc", msg="--text needs --punc-model")
        self.expect_usage("--punc-model", PUNC, WAV, msg="audio inputs need")
        self.expect_usage("--vad-model", VAD, "--format", "srt", WAV, msg="srt/vtt")
        self.expect_usage("--vad-model", VAD, "--hotword-file", "/nonexistent/hw.txt", WAV)
        self.expect_usage("--vad-model", VAD, "--output-dir", TMP, WAV, WAV, msg="key")
        self.expect_usage("--vad-model", VAD, "/nonexistent/list.scp", msg="list.scp")

    def test_model_failure_exits_1(self):
        code, out, err = run("--vad-model", "/nonexistent/fsmn-vad", WAV)
        self.assertEqual(code, 1)
        self.assertIn("/nonexistent/fsmn-vad", err)
        code, out, err = run("--vad-model", PUNC, WAV)  # a punctuation model as VAD
        self.assertEqual(code, 1)
        self.assertTrue(err.strip())


class VadOnly(unittest.TestCase):
    def test_txt_segments(self):
        code, out, err = run("--vad-model", VAD, "--vad-dynamic-silence", "off", WAV)
        self.assertEqual(code, 0, err)
        rows = [list(map(int, line.split("\t"))) for line in out.splitlines()]
        self.assertEqual(rows, CLASSIC)
        self.assertEqual(err, "")  # not a terminal: no progress bar

    def test_max_end_silence_means_classic(self):
        code, out, err = run("--vad-model", VAD, "--max-end-silence-ms", "800", "--format",
                             "json", WAV)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), [{"key": "vad_example", "value": CLASSIC}])

    def test_dynamic_default_differs(self):
        code, out, _ = run("--vad-model", VAD, "--format", "jsonl", WAV)
        self.assertEqual(code, 0)
        doc = json.loads(out)
        self.assertEqual(doc["value"][0], [70, 59970])  # FunASR's dynamic schedule

    def test_max_segment(self):
        code, out, _ = run("--vad-model", VAD, "--vad-dynamic-silence", "off",
                           "--max-segment-ms", "5000", "--format", "jsonl", WAV)
        self.assertEqual(code, 0)
        segs = json.loads(out)["value"]
        self.assertGreater(len(segs), len(CLASSIC))
        self.assertTrue(all(e - s <= 5000 + 50 for s, e in segs))

    def test_stdin_scp_shard_and_output_dir(self):
        with open(WAV, "rb") as f:
            audio = f.read()
        code, out, err = run("--vad-model", VAD, "--vad-dynamic-silence", "off", "-", stdin=audio)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 12)

        d = fresh("scp")
        scp = os.path.join(d, "wav.scp")
        with open(scp, "w") as f:
            f.write(f"utt_a {WAV}\nutt_b {WAV2}\nutt_c {WAV}\n")
        code, out, err = run("--vad-model", VAD, "--format", "jsonl", scp)
        self.assertEqual(code, 0, err)
        self.assertEqual([json.loads(l)["key"] for l in out.splitlines()],
                         ["utt_a", "utt_b", "utt_c"])
        code, out, _ = run("--vad-model", VAD, "--format", "jsonl", "--shard", "1/2", scp)
        self.assertEqual([json.loads(l)["key"] for l in out.splitlines()], ["utt_b"])
        code, out, _ = run("--vad-model", VAD, "--shard", "0/2", scp)  # txt: key-prefixed
        self.assertTrue(all(l.split("\t")[0] in ("utt_a", "utt_c") for l in out.splitlines()))

        out_dir = os.path.join(d, "out")
        code, out, err = run("--vad-model", VAD, "--format", "json", "--output-dir", out_dir, scp)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertEqual(sorted(os.listdir(out_dir)), ["utt_a.json", "utt_b.json", "utt_c.json"])
        self.assertEqual(json.load(open(os.path.join(out_dir, "utt_b.json")))[0]["key"], "utt_b")
        code, _, _ = run("--vad-model", VAD, "--format", "jsonl", "--output-dir", out_dir,
                         "--shard", "0/2", scp)
        self.assertEqual(code, 0)
        lines = open(os.path.join(out_dir, "results.0-of-2.jsonl")).read().splitlines()
        self.assertEqual([json.loads(l)["key"] for l in lines], ["utt_a", "utt_c"])

    def test_progress_bar_only_on_a_terminal(self):
        import pty
        for quiet in (False, True):
            master, slave = pty.openpty()
            args = [BIN, "--vad-model", VAD, WAV] + (["--quiet"] if quiet else [])
            p = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, timeout=120)
            os.close(slave)
            shown = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
            os.close(master)
            self.assertEqual(p.returncode, 0)
            if quiet:
                self.assertEqual(shown, b"")
            else:
                self.assertIn(b"100%", shown)
                self.assertIn(b"[##########", shown)
                self.assertTrue(shown.endswith(b"\r\x1b[K"))  # the bar is cleared at the end

    def test_a_failing_file_does_not_stop_the_others(self):
        d = fresh("bad")
        broken = os.path.join(d, "broken.wav")
        with open(broken, "wb") as f:
            f.write(b"RIFF\x00\x00\x00\x00WAVEjunk")
        code, out, err = run("--vad-model", VAD, "--format", "jsonl", "/nonexistent/a.wav",
                             broken, WAV2)
        self.assertEqual(code, 1)
        self.assertIn("/nonexistent/a.wav", err)
        self.assertIn("broken.wav", err)
        self.assertIn("2 of 3", err)
        self.assertEqual([json.loads(l)["key"] for l in out.splitlines()], ["zh_3s"])


class FullPipeline(unittest.TestCase):
    ASR = os.path.join(DATA, "models", "bicif-paraformer-tiny")

    def test_json_is_autmodel_result_and_srt_cues(self):
        golden_path = os.path.join(DATA, "pipeline", "bicif_vad_punc_long70s_classic", "result.json")
        with open(golden_path, encoding="utf-8") as f:
            golden = json.load(f)
        wav = os.path.join(DATA, "wavs", "long_70s.wav")
        args = ["--vad-model", VAD, "--asr-model", self.ASR, "--punc-model", PUNC,
                "--vad-dynamic-silence", "off", "--threads", "1"]
        code, out, err = run(*args, "--format", "json", wav)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), golden)
        code, out, err = run(*args, "--format", "srt", wav)
        self.assertEqual(code, 0, err)
        cues = [c for c in out.strip().split("\n\n") if c]
        self.assertGreater(len(cues), 100)
        prev_end = -1
        for i, cue in enumerate(cues):
            lines = cue.split("\n")
            self.assertEqual(lines[0], str(i + 1))
            start, end = lines[1].split(" --> ")
            ms = lambda t: (int(t[0:2]) * 3600 + int(t[3:5]) * 60 + int(t[6:8])) * 1000 + int(t[9:12])
            self.assertLess(ms(start), ms(end))
            self.assertGreaterEqual(ms(start), prev_end)
            self.assertLessEqual(ms(end) - ms(start), 7300)
            prev_end = ms(end)
            self.assertTrue(lines[2].strip())
        code, out, err = run(*args, "--format", "txt", "--hotwords", "阿里巴巴", wav)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, golden[0]["text"] + "\n")
        self.assertIn("no hotwords", err)  # BiCif takes none: warned, not an error


class PuncOnly(unittest.TestCase):
    def test_text_option(self):
        code, out, err = run("--punc-model", PUNC, "--text", PUNC_IN)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, PUNC_OUT + "\n")
        code, out, _ = run("--punc-model", PUNC, "--text", PUNC_IN, "--format", "jsonl")
        doc = json.loads(out)
        self.assertEqual(doc["text"], PUNC_OUT)
        self.assertEqual(doc["punc_array"], [2, 1, 1, 1, 1, 1, 2, 5, 2, 1, 1, 2, 1, 3])

    def test_txt_files(self):
        d = fresh("punc")
        t = os.path.join(d, "note.txt")
        with open(t, "w") as f:
            f.write(PUNC_IN + "\n")
        code, out, err = run("--punc-model", PUNC, t, "/nonexistent/missing.txt")
        self.assertEqual(code, 1)
        self.assertEqual(out, "note\t" + PUNC_OUT + "\n")
        self.assertIn("missing.txt", err)


if __name__ == "__main__":
    os.makedirs(TMP, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"])
