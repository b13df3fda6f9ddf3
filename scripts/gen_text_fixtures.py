#!/usr/bin/env python3
"""Generates tests/data/text/python_cases.json: input/output pairs of FunASR's own Python text
functions on synthetic inputs (edge cases the model goldens do not reach).

FunASR is NOT vendored: the functions are loaded from a FunASR git checkout given on the
command line (the commit of the golden data, 3c58cb56a56598232c3efffa15d313d7e82a4307) by
extracting their definitions with `ast` and executing them in a small namespace, because the
modules they live in import torch at top level. Functions used:
  funasr/utils/postprocess_utils.py: sentence_postprocess (+ helpers)
  funasr/utils/timestamp_tools.py:   timestamp_sentence, timestamp_sentence_en
  funasr/auto/auto_model.py:         _join_vad_texts, _vad_segment_sentences
  funasr/models/seaco_paraformer/model.py: SeacoParaformer.generate_hotwords_list, load_seg_dict

Usage:
  /usr/bin/python3 scripts/gen_text_fixtures.py <funasr-git-dir> <tokens.json> > tests/data/text/python_cases.json
"""
import ast
import functools
import itertools
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile

logging.disable(logging.CRITICAL)


def git_show(repo, path):
    return subprocess.check_output(["git", "-C", repo, "show", "HEAD:" + path]).decode("utf-8")


def load_functions(repo, path, names, extra_globals, class_name=None):
    tree = ast.parse(git_show(repo, path))
    body = tree.body
    if class_name:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == class_name).body
    picked = [n for n in body if isinstance(n, ast.FunctionDef) and n.name in names]
    assert {n.name for n in picked} == set(names), (path, names)
    for n in picked:
        n.decorator_list = []
    module = ast.Module(body=picked, type_ignores=[])
    ns = dict(extra_globals)
    exec(compile(module, path, "exec"), ns)
    return ns


def main():
    repo, tokens_path = sys.argv[1], sys.argv[2]
    vocab = json.load(open(tokens_path, encoding="utf-8"))
    rng = random.Random(20240611)
    import typing
    typing_ns = {"Any": typing.Any, "List": typing.List, "Union": typing.Union, "string": __import__("string"),
                 "logging": logging}

    pp = load_functions(repo, "funasr/utils/postprocess_utils.py",
                        ["isChinese", "isAllChinese", "isAllAlpha", "abbr_dispose",
                         "sentence_postprocess"], typing_ns)
    ts = load_functions(repo, "funasr/utils/timestamp_tools.py",
                        ["timestamp_sentence", "timestamp_sentence_en"],
                        {"zip_longest": itertools.zip_longest, "logging": logging})
    am = load_functions(repo, "funasr/auto/auto_model.py",
                        ["_join_vad_texts", "_vad_segment_sentences"], {"re": re})
    seaco_globals = {"os": os, "re": re, "codecs": __import__("codecs"), "logging": logging,
                     "tempfile": tempfile}
    seg_ns = load_functions(repo, "funasr/models/seaco_paraformer/model.py", ["load_seg_dict"],
                            seaco_globals)
    seaco_globals["load_seg_dict"] = seg_ns["load_seg_dict"]
    hw_ns = load_functions(repo, "funasr/models/seaco_paraformer/model.py",
                           ["generate_hotwords_list"], seaco_globals, class_name="SeacoParaformer")

    out = {"sentence_postprocess": [], "timestamp_sentence": [], "join_vad_texts": [],
           "vad_segment_sentences": [], "hotwords": {}}

    # ---- sentence_postprocess -----------------------------------------------------------
    cjk = [t for t in vocab if len(t) == 1 and "\u4e00" <= t <= "\u9fff"]
    pieces = [t for t in vocab if t.endswith("@@")]
    words = [t for t in vocab if t.isascii() and t.isalpha()]
    letters = list("abcdefghijklmnopqrstuvwxyz") + ["I", "A", "B"]
    specials = ["<unk>", "<s>", "</s>", "<OOV>", "0@@", "9@@", "@", ".", "&", "'", "'s", "n't",
                "don't", "i'@@", "-@@", "1", "12", "9a", "a1", "𫖯", "é", "über", "ü@@", "Σ",
                "中a", "a中", " ", "a b", "", "@@", "a@@@", "<unk>x", "x<s>", "ǅ", "ß"]
    pools = [cjk, pieces, words, letters, specials]

    def rand_tokens(n, weights):
        return [rng.choice(rng.choices(pools, weights)[0]) for _ in range(n)]

    configs = [
        (0, [1, 0, 0, 0, 0]), (1, [1, 0, 0, 0, 0]), (6, [1, 0, 0, 0, 0]),
        (6, [0, 0, 1, 1, 0]), (8, [0, 1, 1, 0, 0]), (8, [0, 0, 0, 1, 0]),
        (10, [3, 2, 2, 1, 0]), (12, [2, 2, 2, 3, 1]), (12, [1, 1, 1, 1, 2]),
        (5, [0, 0, 0, 1, 1]), (14, [4, 3, 3, 2, 1]),
    ]
    cases = [
        ["你", "好", "hel@@", "lo", "wor@@", "ld", "世", "界"],
        ["a", "b", "c", "好"], ["a", "b"], ["x", "y", "z", "w", "hello", "q", "r"],
        ["bos@@", "虹", "ting"], ["hel@@", "lo", "'", "s", "a", "."], ["hel@@"],
        ["<unk>", "你", "<unk>", "好"], ["I", "a", "m"], ["0@@", "夼"], ["sting", "0@@", "a"],
        ["a", ".", "好"], ["she", "&", "b", "c"], ["中a", "b"],
    ]
    for n, w in configs:
        for _ in range(25):
            cases.append(rand_tokens(n, w))
    for toks in cases:
        rec = {"tokens": toks}
        try:
            text, words_out = pp["sentence_postprocess"](list(toks))
            rec["plain"] = {"text": text, "words": words_out}
        except Exception as e:  # noqa: BLE001
            rec["plain"] = {"error": type(e).__name__}
        stamps, t = [], rng.randint(-30, 50)
        for _ in toks:
            d = rng.randint(40, 300)
            stamps.append([t, t + d])
            t += d + rng.choice([0, 0, 0, 20, 140])
        for key, st in (("timestamped", stamps), ("short_timestamps", stamps[: len(stamps) // 2])):
            try:
                text, ts_out, words_out = pp["sentence_postprocess"](list(toks), [list(s) for s in st])
                rec[key] = {"timestamps": st, "text": text, "out_timestamps": ts_out,
                            "words": words_out}
            except Exception as e:  # noqa: BLE001
                rec[key] = {"timestamps": st, "error": type(e).__name__}
        out["sentence_postprocess"].append(rec)

    # ---- timestamp_sentence --------------------------------------------------------------
    text_pool = cjk[:200] + ["hello", "world", "a", "I", "x1", "1", "'s", "ABC", "é", "0@@"]
    for case in range(60):
        n = rng.randint(0, 25) if case else 0
        toks = [rng.choice(text_pool) for _ in range(n)]
        stamps, t = [], 100
        for _ in toks:
            stamps.append([t, t + 120])
            t += 150
        punc = [rng.choice([1, 1, 1, 2, 3, 4, 5, 0]) for _ in toks]
        if punc and case % 3:
            punc[-1] = 3
        text = " ".join(toks)
        if case % 7 == 3 and n > 3:  # glued CJK boundary like _join_vad_texts produces
            text = " ".join(toks[:2]) + "".join(toks[2:4]) + " " + " ".join(toks[4:])
        if case % 11 == 5:
            text = text + " extra words"
        for en in (False, True):
            fn = ts["timestamp_sentence_en" if en else "timestamp_sentence"]
            try:
                res = fn(punc, [list(s) for s in stamps], text)
                rec = {"punc_ids": punc, "timestamps": stamps, "text": text, "english": en,
                       "sentences": res}
            except Exception as e:  # noqa: BLE001
                rec = {"punc_ids": punc, "timestamps": stamps, "text": text, "english": en,
                       "error": type(e).__name__}
            out["timestamp_sentence"].append(rec)

    # ---- _join_vad_texts / _vad_segment_sentences ---------------------------------------
    seg_pool = ["你好", "世界 hello", "hello", " 好 ", "", "   ", "<|zh|>中文", "<|en|><|HAPPY|>ok",
                "a<|b", "x|>y", "<|a|b|>c", "㐀字", "字㐀", "end.", "龥", "\u3000中\u3000", "ab 中"]
    for _ in range(40):
        texts = [rng.choice(seg_pool) for _ in range(rng.randint(0, 5))]
        out["join_vad_texts"].append({"texts": texts, "joined": am["_join_vad_texts"](texts)})
    for _ in range(20):
        k = rng.randint(0, 4)
        segs, results, t = [], [], 0
        for _ in range(k):
            beg = t + rng.randint(0, 500)
            end = beg + rng.randint(200, 3000)
            t = end
            segs.append([beg, end])
            r = {"text": rng.choice(seg_pool)}
            if rng.random() < 0.6:
                n = rng.randint(0, 3)
                r["timestamp"] = [[beg + 10 * i, beg + 10 * i + 5] for i in range(n)]
            results.append(r)
        out["vad_segment_sentences"].append({
            "vad_segments": segs, "results": results,
            "sentences": am["_vad_segment_sentences"](json.loads(json.dumps(results)), segs)})

    # ---- generate_hotwords_list ----------------------------------------------------------
    token2id = {t: i for i, t in enumerate(vocab)}
    unk = token2id["<unk>"]

    class Tok:
        def tokens2ids(self, toks):
            return [token2id.get(t, unk) for t in toks]

    class Self:
        sos = 1

    seg_dict_lines = [
        "hello hel@@ lo", "recognition rec@@ o@@ g@@ ni@@ tion", "istanbul is@@ tan@@ bul",
        "i̇stanbul i@@ stan@@ bul", "café ca@@ fe", "empty", "阿 阿", "里 里", "巴 巴", "达 达",
        "摩 摩", "院 院", "1 1", "2 2", "中文 中 文", "world wor@@ ld",
    ]
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "seg_dict"), "w", encoding="utf-8") as f:
            f.write("\n".join(seg_dict_lines) + "\n")

        class Frontend:
            cmvn_file = os.path.join(d, "am.mvn")

        class NoSegFrontend:
            cmvn_file = os.path.join(d, "sub", "am.mvn")

        gen = hw_ns["generate_hotwords_list"]
        string_inputs = ["阿里巴巴 达摩院", "Hello WORLD recognition", "İstanbul CAFÉ Café",
                         "中文 中1 12 3x abc-def 𫖯 empty 阿里 巴", "", "   ", "你\u3000好\u2028world",
                         "HELLO hello Hello", "龥龦 Ⅻ ǅ"]
        file_inputs = ["阿里巴巴 达摩院\nhello world\n", "recognition\r\n中文\r\nİstanbul x\r",
                       "  a  b  \nc\n", "hello"]
        hw_out = {"seg_dict": seg_dict_lines, "string": [], "file": []}
        for s in string_inputs:
            hw_out["string"].append({
                "input": s,
                "with_seg_dict": gen(Self(), s, tokenizer=Tok(), frontend=Frontend()),
                "without_seg_dict": gen(Self(), s, tokenizer=Tok(), frontend=NoSegFrontend())})
        for i, content in enumerate(file_inputs):
            p = os.path.join(d, "hw%d.txt" % i)
            with open(p, "w", encoding="utf-8", newline="") as f:
                f.write(content)
            hw_out["file"].append({
                "content": content,
                "with_seg_dict": gen(Self(), p, tokenizer=Tok(), frontend=Frontend()),
                "without_seg_dict": gen(Self(), p, tokenizer=Tok(), frontend=NoSegFrontend())})
        out["hotwords"] = hw_out

    json.dump(out, sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
