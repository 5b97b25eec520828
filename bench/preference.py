"""The community preference model against people's votes, next to the analyzer, in one run.

    python bench/preference.py            # measure the shipped head
    python bench/preference.py --write    # refit on the train split, write the head, then measure

Data: CounselChat (Bertagnolli 2020, MIT; /work/shared/eval/counselchat, read from
`../shared/eval`, never copied). Questions are split by the CSV's own `split` column
(`llumi_core.feedback.split`): the head is fitted on **train** questions only; every
figure below is on the **held-out** validation + test questions, never fitted on.

Printed, for the preference model, the analyzer's overall score (the baseline, 0.585 on
all pairs in issue 14), each analyzer dimension and a length-only Bradley–Terry model:

- pairwise agreement with votes: for two answers to one question with different
  upvotes, does the score prefer the higher-voted one? (ties count half); micro (all
  pairs) and macro (mean per question), with a 95 % bootstrap interval over questions;
- ordering: per held-out question, the top-voted answer above the lowest-voted one;
- unusable drafts: held-out answers made unusable the ways drafts fail (prompt
  markup, an echo of the prompt's instructions, a sentence the output gate must
  flag, cut off mid-sentence): how many score below every human answer;
- EPITOME (research use; --epitome N): Spearman of the preference quality with
  expert empathy levels on N (post, response) pairs.

Embeddings are cached in the llumi cache dir by text hash (the first run embeds ~2,400
texts: minutes on 2 cores). No text is printed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llumi_core.evaluation import preference as pref  # noqa: E402
from llumi_core.feedback.split import assign_split  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
COUNSELCHAT = SHARED / "counselchat" / "20200325_counsel_chat.csv"
EPITOME = SHARED / "epitome"
UNSAFE = ROOT / "bench" / "data" / "eval_replies.jsonl"
RESULTS = ROOT / "bench" / "results" / "preference.json"
RIDGES = (0.001, 0.003, 0.01, 0.03, 0.1)
FOLDS = 5
SEED = 0


@dataclass(frozen=True, slots=True)
class Answer:
    qid: str
    text: str
    votes: int


@dataclass
class Data:
    posts: dict[str, str]
    split: dict[str, str]
    answers: dict[str, list[Answer]]

    def questions(self, *splits: str) -> list[str]:
        return [q for q in self.posts if self.split[q] in splits]


def read_counselchat(path: Path) -> Data:
    csv.field_size_limit(10_000_000)
    data = Data({}, {}, defaultdict(list))
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            qid = row["questionID"]
            if qid not in data.posts:
                title, body = (row["questionTitle"] or "").strip(), (row["questionText"] or "").strip()
                data.posts[qid] = (
                    f"{title}\n\n{body}" if title and body and title not in body else body or title
                )
                data.split[qid] = assign_split(qid, row.get("split"))
            text = (row["answerText"] or "").strip()
            if text:
                data.answers[qid].append(Answer(qid, text, int(float(row["upvotes"] or 0))))
    return data


def vote_pairs(data: Data, questions: Sequence[str]) -> list[tuple[Answer, Answer]]:
    """(higher-voted, lower-voted) for every two answers to one question with different votes."""
    out = []
    for q in questions:
        for a, b in itertools.combinations(data.answers[q], 2):
            if a.votes != b.votes:
                out.append((a, b) if a.votes > b.votes else (b, a))
    return out


# -- embeddings, cached by text hash -----------------------------------------------------


class CachedEncoder:
    """The real encoder behind a per-text cache (an .npz in the llumi cache dir)."""

    def __init__(self) -> None:
        from llumi_core.cache import cache_dir
        from llumi_core.embedding import SAFETENSORS_SHA256, default_encoder, encoder_unavailable_reason

        encoder = default_encoder()
        if encoder is None:
            sys.exit(f"the sentence encoder is needed: {encoder_unavailable_reason()}")
        self.inner = encoder
        self.path = cache_dir() / f"bench-preference-embeddings-{SAFETENSORS_SHA256[:12]}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as z:
                self.vectors = {k: z[k] for k in z.files}
        self.new = 0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.vectors))
        for i in range(0, len(missing), 16):
            chunk = missing[i : i + 16]
            for text, vec in zip(chunk, self.inner.embed(chunk), strict=True):
                self.vectors[self.key(text)] = vec
            self.new += len(chunk)
            if self.new % 320 < 16:
                self.save()
        return np.stack([self.vectors[self.key(t)] for t in texts]) if texts else np.zeros((0, 384))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.stem + ".part.npz")
        np.savez(tmp, **self.vectors)
        tmp.replace(self.path)


# -- scores ------------------------------------------------------------------------------

Scorer = Callable[[Answer], float]


def feature_table(data: Data, encoder: CachedEncoder) -> dict[Answer, np.ndarray]:
    table = {}
    analyses = cached_analyses(data)
    for q, answers in data.answers.items():
        texts = [a.text for a in answers]
        vecs = encoder.embed([data.posts[q], *texts])
        rows = pref.features(vecs[0], vecs[1:], texts, [analyses[CachedEncoder.key(t)] for t in texts])
        for a, row in zip(answers, rows, strict=True):
            table[a] = row
    return table


def cached_analyses(data: Data) -> dict[str, list[float]]:
    """The analyzer's measures of every answer (minutes on 2 cores), cached by text hash and code."""
    from llumi_core.cache import cache_dir

    sources = (
        "evaluation/analysis.py",
        "evaluation/empathy.py",
        "evaluation/features.py",
        "evaluation/empathy_head.json",
        "safety/checks.py",
    )
    code = hashlib.sha256(b"".join((ROOT / "llumi_core" / p).read_bytes() for p in sources)).hexdigest()[:12]
    path = cache_dir() / f"bench-preference-analyses-{code}.json"
    cached: dict[str, list[float]] = json.loads(path.read_text()) if path.is_file() else {}
    for answers in data.answers.values():
        for a in answers:
            key = CachedEncoder.key(a.text)
            if key not in cached:
                cached[key] = pref.analysis_row(a.text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cached))
    return cached


def agreement(pairs: Sequence[tuple[Answer, Answer]], score: Scorer) -> dict[str, Any]:
    """Micro and macro (per question) agreement, ties half, with a bootstrap 95 % interval over questions."""
    per_q: dict[str, list[float]] = defaultdict(list)
    for hi, lo in pairs:
        a, b = score(hi), score(lo)
        per_q[hi.qid].append(1.0 if a > b else 0.5 if a == b else 0.0)
    qs = sorted(per_q)
    micro = statistics.fmean(h for q in qs for h in per_q[q])
    macro = statistics.fmean(statistics.fmean(per_q[q]) for q in qs)
    rng = random.Random(SEED)
    boots = []
    for _ in range(1000):
        sample = [rng.choice(qs) for _ in qs]
        boots.append(statistics.fmean(h for q in sample for h in per_q[q]))
    boots.sort()
    return {
        "pairs": len(pairs),
        "questions": len(qs),
        "micro": round(micro, 3),
        "micro_ci95": [round(boots[25], 3), round(boots[974], 3)],
        "macro": round(macro, 3),
    }


def ordering(data: Data, questions: Sequence[str], score: Scorer) -> dict[str, Any]:
    """Per question with a vote contrast: is the top-voted answer above the lowest-voted one?"""
    wins, tops, lows = [], [], []
    for q in questions:
        answers = sorted(data.answers[q], key=lambda a: -a.votes)
        if len(answers) < 2 or answers[0].votes == answers[-1].votes:
            continue
        top, low = score(answers[0]), score(answers[-1])
        wins.append(top > low)
        tops.append(top)
        lows.append(low)
    return {
        "questions": len(wins),
        "top_above_low": round(statistics.fmean(wins), 3),
        "mean_top": round(statistics.fmean(tops), 4),
        "mean_low": round(statistics.fmean(lows), 4),
    }


def fit(pairs: Sequence[tuple[Answer, Answer]], table: dict[Answer, np.ndarray], ridge: float) -> np.ndarray:
    diffs = np.array([table[hi] - table[lo] for hi, lo in pairs])
    return pref.fit_pairwise(diffs, ridge)


def train_folds(data: Data) -> list[list[str]]:
    train_qs = [q for q in data.questions("train") if vote_pairs(data, [q])]
    random.Random(SEED).shuffle(train_qs)
    return [train_qs[i::FOLDS] for i in range(FOLDS)]


def out_of_fold(data: Data, table: dict[Answer, np.ndarray], ridge: float) -> dict[Answer, float]:
    """Each train answer's logit from a head fitted without its question (grouped K-fold)."""
    folds = train_folds(data)
    scores: dict[Answer, float] = {}
    for k in range(FOLDS):
        fit_qs = [q for j, f in enumerate(folds) if j != k for q in f]
        w = fit(vote_pairs(data, fit_qs), table, ridge)
        for q in folds[k]:
            for a in data.answers[q]:
                scores[a] = float(table[a] @ w)
    return scores


def choose_ridge(data: Data, table: dict[Answer, np.ndarray]) -> tuple[float, dict[str, float]]:
    """Grouped K-fold over the train questions only: the ridge with the best out-of-fold agreement."""
    pairs = vote_pairs(data, [q for f in train_folds(data) for q in f])
    results = {}
    for ridge in RIDGES:
        oof = out_of_fold(data, table, ridge)
        results[str(ridge)] = round(statistics.fmean(float(oof[hi] > oof[lo]) for hi, lo in pairs), 4)
    best = max(RIDGES, key=lambda r: results[str(r)])
    return best, results


def write_head(data: Data, table: dict[Answer, np.ndarray]) -> pref.PreferenceHead:
    ridge, cv = choose_ridge(data, table)
    train_qs = data.questions("train")
    pairs = vote_pairs(data, train_qs)
    w = fit(pairs, table, ridge)
    train_rows = np.array([table[a] for q in train_qs for a in data.answers[q]])
    cosines = train_rows[:, pref.COSINE]
    head = pref.PreferenceHead(
        weights=w,
        centre=float(np.median(train_rows @ w)),
        off_topic_below=float(np.percentile(cosines, 1)),
        provenance={
            "data": "CounselChat (Bertagnolli 2020, MIT), train split only (the CSV's split column)",
            "train_questions": len(train_qs),
            "train_pairs": len(pairs),
            "encoder": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), llumi_core.embedding",
            "fit": f"Bradley-Terry ridge logistic regression, ridge {ridge} chosen by {FOLDS}-fold "
            "grouped cross-validation over train questions",
            "ridge": ridge,
            "cv_agreement_by_ridge": cv,
            "off_topic_below": "1st percentile of train answers' post-reply cosine",
            "refit": "python bench/preference.py --write",
            "contains_text": False,
        },
    )
    return head


# -- unusable drafts, built from held-out answers -----------------------------------------


def flawed_variants(
    text: str, instructions: str, unsafe: Sequence[str], rng: random.Random
) -> dict[str, str]:
    """The ways drafts fail, applied to a good answer (so only the flaw differs)."""
    sentences = [s for s in instructions.replace("\n", " ").split(". ") if len(s.split()) >= 8]
    words = text.split()
    return {
        "markup": f"<post>\n{text}\n</post>",
        "role label": f"assistant: {text}",
        "echo": f"{rng.choice(sentences).strip()}. {text}",
        "gate finding": f"{text} {rng.choice(unsafe)}",
        "cut off": " ".join(words[: max(8, len(words) // 2)]).rstrip(".,;") + " and",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="refit on the train split and write the head")
    ap.add_argument("--epitome", type=int, default=300, help="EPITOME pairs to correlate (0: skip)")
    args = ap.parse_args()
    if not COUNSELCHAT.is_file():
        sys.exit(f"CounselChat not found at {COUNSELCHAT}")
    from llumi_core.evaluation.analysis import DIMENSIONS, analyze, overall

    t0 = time.perf_counter()
    data = read_counselchat(COUNSELCHAT)
    encoder = CachedEncoder()
    table = feature_table(data, encoder)
    encoder.save()
    head = write_head(data, table) if args.write else pref.shipped_head()

    held_qs = data.questions("validation", "test")
    held_pairs = vote_pairs(data, held_qs)
    model = pref.default_preference_model(encoder=encoder, head=head)
    assert model is not None

    prefs: dict[Answer, pref.Preference] = {}
    for q in held_qs:
        answers = data.answers[q]
        for a, p in zip(answers, model.score(data.posts[q], [a.text for a in answers]), strict=True):
            prefs[a] = p
    analysis = {a: analyze(a.text, data.posts[a.qid]) for a in prefs}
    words = pref.COSINE + 1
    length_w = fit(
        vote_pairs(data, data.questions("train")), {a: r[words : words + 1] for a, r in table.items()}, 0.01
    )

    scorers: dict[str, Scorer] = {
        "preference model (score)": lambda a: prefs[a].score,
        "preference model (quality only)": lambda a: prefs[a].quality,
        "analyzer overall (baseline)": lambda a: overall(analysis[a]),
        **{f"analyzer {d}": (lambda a, d=d: float(analysis[a][d]["score"])) for d in DIMENSIONS},
        "length only (log words)": lambda a: float(table[a][words] * length_w[0]),
    }
    test_qs = data.questions("test")
    results: dict[str, Any] = {
        "data": "CounselChat held-out questions (validation + test split), never fitted on",
        "agreement_heldout": {name: agreement(held_pairs, s) for name, s in scorers.items()},
        "agreement_test_only": {
            name: agreement(vote_pairs(data, test_qs), scorers[name])
            for name in ("preference model (score)", "analyzer overall (baseline)")
        },
        "ordering_top_vs_low": {
            name: ordering(data, held_qs, scorers[name])
            for name in ("preference model (score)", "analyzer overall (baseline)")
        },
    }
    results["agreement_train_out_of_fold"] = train_out_of_fold(data, table, head)
    results["unusable_drafts"] = unusable_drafts(data, held_qs, prefs, model, analysis, overall)
    if args.epitome:
        results["epitome_spearman"] = epitome(encoder, model, args.epitome)
    results["head"] = {"provenance": head.provenance}
    results["seconds"] = round(time.perf_counter() - t0, 1)
    encoder.save()
    if args.write:
        head = pref.PreferenceHead(
            head.weights,
            head.centre,
            head.off_topic_below,
            head.provenance,
            validation={
                "data": results["data"],
                "pairwise_agreement": results["agreement_heldout"]["preference model (score)"],
                "analyzer_overall_agreement": results["agreement_heldout"]["analyzer overall (baseline)"],
                "top_above_low": results["ordering_top_vs_low"]["preference model (score)"],
                "unusable_below_every_usable_human": results["unusable_drafts"]["below_every_usable_human"],
                "epitome_spearman": results.get("epitome_spearman"),
            },
        )
        pref.HEAD_FILE.write_text(json.dumps(head.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {pref.HEAD_FILE.relative_to(ROOT)}")
    report(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {RESULTS.relative_to(ROOT)}")
    return 0


def train_out_of_fold(
    data: Data, table: dict[Answer, np.ndarray], head: pref.PreferenceHead
) -> dict[str, Any]:
    """A larger sample: train questions scored by heads fitted without them, vs the analyzer there."""
    from llumi_core.evaluation.analysis import DIMENSIONS

    ridge = float(head.provenance["ridge"])
    oof = out_of_fold(data, table, ridge)
    pairs = [(hi, lo) for hi, lo in vote_pairs(data, data.questions("train")) if hi in oof]
    overall_col = pref.COSINE + 2  # analysis measures start here, dimensions first
    analyzer = {a: float(np.mean(table[a][overall_col : overall_col + len(DIMENSIONS)])) for a in oof}
    return {
        "data": f"CounselChat train questions, {FOLDS}-fold grouped out-of-fold (the head never saw the "
        "question it scores)",
        "preference model (quality, out of fold)": agreement(pairs, lambda a: oof[a]),
        "analyzer overall (baseline)": agreement(pairs, lambda a: analyzer[a]),
    }


def unusable_drafts(
    data: Data,
    questions: Sequence[str],
    prefs: dict[Answer, pref.Preference],
    model: pref.PreferenceModel,
    analysis: dict[Answer, Any],
    overall: Callable[[Any], float],
) -> dict[str, Any]:
    from llumi_core.config import DEFAULT_MODELS_DIR
    from llumi_core.domain import ModelRole
    from llumi_core.evaluation.analysis import analyze
    from llumi_core.prompts import load_prompt

    instructions = load_prompt(DEFAULT_MODELS_DIR / "prompts", ModelRole.GM).instructions
    unsafe = [r["text"] for r in map(json.loads, UNSAFE.read_text().splitlines()) if r["unsafe"]]
    rng = random.Random(SEED)
    flawed: dict[str, list[float]] = defaultdict(list)
    flawed_analyzer: list[float] = []
    gate_missed = 0
    for q in questions:
        usable = [a for a in data.answers[q] if prefs[a].usable]
        if not usable:
            continue
        best = max(usable, key=lambda a: a.votes)
        variants = flawed_variants(best.text, instructions, unsafe, rng)
        for (kind, text), p in zip(
            variants.items(), model.score(data.posts[q], list(variants.values())), strict=True
        ):
            if kind == "gate finding" and not any(f.startswith("gate") for f in p.findings):
                gate_missed += 1  # the gate's recall, measured in bench/gate_replies.py
                continue
            flawed[kind].append(p.score)
            flawed_analyzer.append(overall(analyze(text, data.posts[q])))
    humans = [p.score for p in prefs.values()]
    usable_humans = [p.score for p in prefs.values() if p.usable]
    every = [s for v in flawed.values() for s in v]
    human_analyzer = [overall(r) for r in analysis.values()]
    kinds: dict[str, int] = defaultdict(int)
    for p in prefs.values():
        for f in p.findings:
            kinds[f] += 1
    return {
        "flawed_drafts": len(every),
        "unsafe_sentence_the_gate_missed": gate_missed,
        "human_findings_by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "by_kind_max_score": {k: round(max(v), 4) for k, v in flawed.items()},
        "human_answers": len(humans),
        "human_answers_with_findings": len(humans) - len(usable_humans),
        "min_usable_human_score": round(min(usable_humans), 4),
        "below_every_usable_human": f"{sum(s < min(usable_humans) for s in every)} of {len(every)}",
        "below_every_human_incl_flagged": f"{sum(s < min(humans) for s in every)} of {len(every)}",
        "analyzer_below_every_human": f"{sum(s < min(human_analyzer) for s in flawed_analyzer)} of "
        f"{len(flawed_analyzer)}",
        "analyzer_mean_flawed_vs_human": [
            round(statistics.fmean(flawed_analyzer), 3),
            round(statistics.fmean(human_analyzer), 3),
        ],
    }


def epitome(encoder: CachedEncoder, model: pref.PreferenceModel, n: int) -> dict[str, Any]:
    """Spearman of quality (and the analyzer's empathy) with EPITOME expert levels, per mechanism."""
    from llumi_core.evaluation.analysis import empathy

    out: dict[str, Any] = {}
    for mech, file in (
        ("emotional_reactions", "emotional-reactions-reddit.csv"),
        ("interpretations", "interpretations-reddit.csv"),
        ("explorations", "explorations-reddit.csv"),
    ):
        path = EPITOME / file
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        rows = random.Random(SEED).sample(rows, min(n, len(rows)))
        quality, ours, levels = [], [], []
        for r in rows:
            post, reply = r["seeker_post"], r["response_post"]
            vecs = encoder.embed([post, reply])
            row = pref.features(vecs[0], vecs[1:], [reply])
            quality.append(float(model.head.logits(row)[0]))
            ours.append(float(empathy(reply)[mech]))
            levels.append(float(r["level"]))
        out[mech] = {
            "n": len(rows),
            "preference_quality": round(spearman(quality, levels), 3),
            "analyzer_empathy_head (fitted on EPITOME)": round(spearman(ours, levels), 3),
        }
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    def ranks(x: Sequence[float]) -> np.ndarray:
        order = np.argsort(x, kind="stable")
        r = np.empty(len(x))
        r[order] = np.arange(len(x))
        values = np.asarray(x)
        for v in np.unique(values):  # ties: mean rank
            r[values == v] = r[values == v].mean()
        return r

    ra, rb = ranks(a), ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def report(results: dict[str, Any]) -> None:
    print(f"\n{results['data']}")
    print(f"\n{'pairwise agreement with votes':42} {'micro':>6} {'95% CI':>14} {'macro':>6}  pairs/questions")
    for name, r in results["agreement_heldout"].items():
        ci = f"[{r['micro_ci95'][0]:.3f}, {r['micro_ci95'][1]:.3f}]"
        print(f"  {name:40} {r['micro']:6.3f} {ci:>14} {r['macro']:6.3f}  {r['pairs']}/{r['questions']}")
    oof = results["agreement_train_out_of_fold"]
    print(f"\n{oof['data']}:")
    for name, r in oof.items():
        if name != "data":
            ci = f"[{r['micro_ci95'][0]:.3f}, {r['micro_ci95'][1]:.3f}]"
            print(f"  {name:40} {r['micro']:6.3f} {ci:>14} {r['macro']:6.3f}  {r['pairs']}/{r['questions']}")
    print("\ntest split only:")
    for name, r in results["agreement_test_only"].items():
        print(f"  {name:40} {r['micro']:6.3f}  ({r['pairs']} pairs, {r['questions']} questions)")
    print("\ntop-voted above lowest-voted, per held-out question:")
    for name, r in results["ordering_top_vs_low"].items():
        print(
            f"  {name:40} {r['top_above_low']:.3f} of {r['questions']}  "
            f"(mean top {r['mean_top']:.3f} vs low {r['mean_low']:.3f})"
        )
    u = results["unusable_drafts"]
    print("\nunusable drafts (held-out top answers + markup / role label / echo / gate finding / cut off):")
    print(f"  below every human answer without findings: {u['below_every_usable_human']}")
    print(f"  below every human answer, flagged ones too: {u['below_every_human_incl_flagged']}")
    print(
        f"  human answers the gate or the other checks flag: {u['human_answers_with_findings']} of "
        f"{u['human_answers']}: {u['human_findings_by_kind']}"
    )
    print(f"  (unsafe sentences the gate missed, left out: {u['unsafe_sentence_the_gate_missed']})")
    print(
        f"  analyzer: flawed below every human: {u['analyzer_below_every_human']}; mean flawed vs human "
        f"{u['analyzer_mean_flawed_vs_human'][0]} vs {u['analyzer_mean_flawed_vs_human'][1]}"
    )
    if "epitome_spearman" in results:
        print("\nEPITOME expert levels, Spearman:")
        for mech, r in results["epitome_spearman"].items():
            print(
                f"  {mech:22} preference {r['preference_quality']:+.3f}   "
                f"analyzer empathy head {r['analyzer_empathy_head (fitted on EPITOME)']:+.3f}  (n={r['n']})"
            )
    print(f"\n{results['seconds']} s")


if __name__ == "__main__":
    raise SystemExit(main())
