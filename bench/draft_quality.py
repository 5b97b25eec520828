"""The quality bar (issue 11): are GM drafts and IM edits something a moderator would send?

    python bench/draft_quality.py [--limit N] [--im-limit N] [--models A,B] [--variants before,after]

For each model (default: the new default and SmolLM2) and each prompt variant
(`before`: the fallback templates models/prompts/{gm,im}.toml at the settings'
max_tokens, as every model used them before per-family prompts; `after`: the
model family's own templates, models/prompts/<family>/), interleaved post by
post so drift on a shared machine hits both alike, with the same seed per post:

- GM drafts on held-out posts: CounselChat questions of the `val` and `test`
  splits (never the `train` split the few-shot examples come from) and the
  community-style posts of bench/data/community_posts.jsonl (written before any
  prompt was tuned; nothing was tuned on them);
- IM improvements of the lowest-voted CounselChat answer of those questions,
  and of the weak supporter replies written with the community posts.

Reported per model and variant (on the first try: no regeneration):

- clean: not empty, no markup, no copied post or echoed prompt, no output-gate finding (goal >= 95 %);
- 3-6 sentences (goal >= 90 %); a question asked (goal >= 70 %);
- the five dimensions (`llumi eval`'s analysis) of GM drafts vs the top- and low-voted human answers;
- the IM's meaning kept (content similarity, as `llumi eval`) and dimensions improved over the low-voted answer;
- time to first token and whole-draft time, medians (community posts are the "typical post").

Figures go to bench/results/draft_quality.json, five example drafts per model to
bench/results/draft_examples_<model>.md, and every draft (texts included; the data
is public or written for this bench) to bench/.cache/draft_quality/<model>.jsonl
so `--summarise` can print figures again without the model.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import ROOT, quiet_native, write_result

from llumi_core import replies
from llumi_core.config import DEFAULT_MODELS_DIR, load_settings
from llumi_core.domain import ModelRole
from llumi_core.editing import improve_call
from llumi_core.evaluation.analysis import DIMENSIONS, analyze
from llumi_core.evaluation.features import sentences
from llumi_core.evaluation.similarity import content_similarity, idf_from, kept_words
from llumi_core.llm.registry import load_registry
from llumi_core.prompts import PromptTemplate, load_prompt
from llumi_core.safety import Safety
from llumi_core.service import tidy_model_text

COUNSELCHAT = ROOT.parent / "shared" / "eval" / "counselchat" / "20200325_counsel_chat.csv"
COMMUNITY = ROOT / "bench" / "data" / "community_posts.jsonl"
CACHE = ROOT / "bench" / ".cache" / "draft_quality"
DEFAULT_MODELS = ("qwen2.5-coder-1.5b-instruct", "smollm2-135m-instruct")
EXAMPLE_IDS = ("cm02", "cm03", "cm04", "cm05", "cm23")  # the issue's complaints: grief, job, waitlist, overdose, lonely
SEED = 11


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    source: str  # counselchat | community
    post: str
    top: str | None = None
    low: str | None = None  # the reply the IM improves


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    gm: PromptTemplate
    im: PromptTemplate


# --- data ----------------------------------------------------------------------------


def counselchat_items(limit: int) -> list[Item]:
    """Held-out questions (val + test splits) with a top- and a lower-voted answer first."""
    if not COUNSELCHAT.is_file():
        sys.exit(f"CounselChat is not at {COUNSELCHAT} (see /work/shared/eval/README.md)")
    csv.field_size_limit(10_000_000)
    posts: dict[str, str] = {}
    answers: dict[str, list[tuple[int, str]]] = {}
    with COUNSELCHAT.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] not in ("val", "test"):
                continue
            qid = row["questionID"]
            title, body = (row["questionTitle"] or "").strip(), (row["questionText"] or "").strip()
            posts.setdefault(qid, f"{title}\n\n{body}" if title and title not in body else body or title)
            if (row["answerText"] or "").strip():
                answers.setdefault(qid, []).append((int(float(row["upvotes"] or 0)), row["answerText"].strip()))
    items = []
    for qid, post in posts.items():
        ranked = sorted(answers.get(qid, []), key=lambda a: -a[0])
        top = ranked[0][1] if ranked else None
        low = ranked[-1][1] if len(ranked) > 1 and ranked[-1][0] < ranked[0][0] else None
        items.append(Item(f"cc{qid}", "counselchat", post, top, low))
    rng = random.Random(0)
    rng.shuffle(items)
    items.sort(key=lambda i: i.low is None)  # questions with a vote contrast first
    return items[:limit]


def community_items(limit: int) -> list[Item]:
    rows = [json.loads(line) for line in COMMUNITY.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item(r["id"], "community", r["text"], None, r.get("weak_reply")) for r in rows][:limit]


# --- generation ----------------------------------------------------------------------


class Model:
    """One GGUF, generating as the service does (same stops, sampling, cleaning).

    One llama.cpp context per prompt template (the weights are mapped once and
    shared): each keeps its template's fixed prefix evaluated, as the service's
    per-role prompt cache does, so variants do not evict each other's prefix.
    """

    def __init__(self, name: str, path: Path, family: str | None, n_threads: int) -> None:
        self.name, self.family, self.path, self.n_threads = name, family, path, n_threads
        self.contexts: dict[str, Any] = {}
        self.settings = load_settings(use_file=False)
        t0 = time.perf_counter()
        self._context("load")
        self.load_s = time.perf_counter() - t0

    def _context(self, key: str) -> Any:
        from llumi_core.llm.llama_cpp import import_llama_cpp

        if key not in self.contexts:
            self.contexts[key] = import_llama_cpp().Llama(model_path=str(self.path), n_ctx=4096, n_threads=self.n_threads, verbose=False)
        return self.contexts[key]

    def generate(self, messages: list[Any], template: PromptTemplate, seed: int, max_tokens: int | None) -> dict[str, Any]:
        s = self.settings.models.sampling
        llm = self._context(template.version)
        t0 = time.perf_counter()
        first, parts = None, []
        stream = llm.create_chat_completion(
            messages=messages,
            stream=True,
            max_tokens=max_tokens or template.max_tokens or self.settings.models.max_tokens,
            temperature=s.temperature,
            top_p=s.top_p,
            top_k=s.top_k,
            repeat_penalty=s.repeat_penalty,
            seed=seed,
            stop=list(template.stop_sequences),
        )
        for chunk in stream:
            piece = chunk["choices"][0]["delta"].get("content")
            if piece:
                first = first or time.perf_counter()
                parts.append(piece)
        end = time.perf_counter()
        return {"raw": "".join(parts), "ttft_s": round((first or end) - t0, 3), "total_s": round(end - t0, 3)}


def shown(raw: str, compose: Callable[[str], str]) -> str:
    """What the moderator would see of the first attempt (as the service cleans it)."""
    return replies.trim_unfinished(compose(tidy_model_text(raw)))


def judge(text: str, raw: str, item: Item, template: PromptTemplate, safety: Safety, *, allowed: Sequence[str] = ()) -> dict[str, Any]:
    guard = replies.CopyGuard(
        (item.post,), (template.instructions,), quotable=template.quotable, markers=template.echo_markers, allowed=allowed
    )
    spans = guard.find(text)
    issues = sorted({i.kind for i in safety.check(text)}) if text else []
    markup = list(replies.find_markup(text))
    n_sent = len(sentences(text))
    return {
        "text": text,
        "raw_markup": bool(replies.find_markup(raw)),
        "markup": markup,
        "copied": bool(spans),
        "gate": issues,
        "clean": bool(text) and not markup and not spans and not issues,
        "sentences": n_sent,
        "asks": "?" in text,
        "scores": {d: analyze(text, item.post)[d]["score"] for d in DIMENSIONS} if text else None,
    }


def run_model(name: str, path: Path, family: str | None, items: list[Item], im_items: list[Item], variants: list[str], n_threads: int, before_every: int = 1, resume: bool = False) -> list[dict[str, Any]]:
    settings = load_settings(use_file=False)
    safety = Safety(settings.safety, settings.privacy)
    prompts = DEFAULT_MODELS_DIR / "prompts"
    table = {
        "before": Variant("before", load_prompt(prompts, ModelRole.GM), load_prompt(prompts, ModelRole.IM)),
        "after": Variant("after", load_prompt(prompts, ModelRole.GM, family), load_prompt(prompts, ModelRole.IM, family)),
    }
    chosen = [table[v] for v in variants]
    records_order = [v.name for v in chosen]
    model = Model(name, path, family, n_threads)
    print(f"\n{name}: loaded in {model.load_s:.1f} s; family {family}; "
          + ", ".join(f"{v.name}: {v.gm.version}/{v.im.version}" for v in chosen), flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    out_path = CACHE / f"{name}.jsonl"
    records: list[dict[str, Any]] = []
    if resume and out_path.is_file():  # `--resume`: keep the drafts a previous run made
        records = [json.loads(x) for x in out_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    had = {(r["id"], r["variant"]) for r in records}
    im_ids = {i.id for i in im_items}
    with out_path.open("a" if resume else "w", encoding="utf-8") as out:
        for n, item in enumerate(items):
            order = chosen if n % 2 == 0 else chosen[::-1]  # rotate who goes first
            done: dict[tuple[str, str], dict[str, Any]] = {}
            for variant in order:
                if (variant.name == "before" and n % before_every) or (item.id, variant.name) in had:
                    continue  # `--before-every K`: the old templates on every K-th post only
                # Identical templates (a family without its own) are generated once.
                key = (variant.gm.version, variant.im.version)
                rec = done.get(key) or _one(model, variant, item, safety, SEED + n, with_im=item.id in im_ids)
                done[key] = rec
                rec = {**rec, "variant": variant.name}
                records.append(rec)
                out.write(json.dumps(rec) + "\n")
                out.flush()
            print(f"  {n + 1}/{len(items)} {item.id}", end="\r", flush=True)
    print()
    return sorted(records, key=lambda r: records_order.index(r["variant"]))


def _one(model: Model, variant: Variant, item: Item, safety: Safety, seed: int, *, with_im: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {"model": model.name, "variant": variant.name, "id": item.id, "source": item.source,
                           "post": item.post, "top": item.top, "low": item.low}
    gen = model.generate(variant.gm.render(item.post), variant.gm, seed, None)
    rec["gm"] = {**judge(shown(gen["raw"], lambda t: t), gen["raw"], item, variant.gm, safety), **_times(gen),
                 "raw": gen["raw"]}
    if with_im and item.low:
        call = improve_call(variant.im, item.post, item.low, safety.check)
        gen = model.generate(call.messages, variant.im, seed, call.max_tokens)
        text = shown(gen["raw"], call.compose)
        rec["im"] = {**judge(text, gen["raw"], item, variant.im, safety, allowed=(item.low,)), **_times(gen),
                     "raw": gen["raw"]}
    return rec


def _times(gen: dict[str, Any]) -> dict[str, Any]:
    return {"ttft_s": gen["ttft_s"], "total_s": gen["total_s"]}


# --- figures -------------------------------------------------------------------------


def _share(rows: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], bool]) -> float | None:
    return round(sum(map(key, rows)) / len(rows), 3) if rows else None


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _dims(texts: Sequence[tuple[str, str]]) -> dict[str, float | None]:
    scored = [analyze(t, p) for t, p in texts if t]
    return {d: _mean([s[d]["score"] for s in scored]) for d in DIMENSIONS}


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Figures per variant; when `before` ran on fewer posts, `after` again on just those."""
    variants = list(dict.fromkeys(r["variant"] for r in records))
    groups = {v: [r for r in records if r["variant"] == v] for v in variants}
    if "before" in groups and "after" in groups:
        before_ids = {r["id"] for r in groups["before"]}
        if before_ids != {r["id"] for r in groups["after"]}:
            groups["after, same posts"] = [r for r in groups["after"] if r["id"] in before_ids]
    return {variant: _figures(rows) for variant, rows in groups.items()}


def _figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    gm = [r["gm"] for r in rows]
    cc = [r for r in rows if r["source"] == "counselchat"]
    community = [r["gm"] for r in rows if r["source"] == "community"]
    fig: dict[str, Any] = {
        "drafts": len(gm),
        "clean_first_try": _share(gm, lambda g: g["clean"]),
        "raw_markup": _share(gm, lambda g: g["raw_markup"]),
        "copied_or_echo": _share(gm, lambda g: g["copied"]),
        "gate_finding": _share(gm, lambda g: bool(g["gate"])),
        "empty": _share(gm, lambda g: not g["text"]),
        "sentences_3_to_6": _share(gm, lambda g: 3 <= g["sentences"] <= 6),
        "sentences_median": _median([g["sentences"] for g in gm]),
        "asks_question": _share(gm, lambda g: g["asks"]),
        "dimensions": {
            "gm_counselchat": _dims([(r["gm"]["text"], r["post"]) for r in cc]),
            "gm_community": _dims([(g["text"], "") for g in community]),
            "human_top": _dims([(r["top"], r["post"]) for r in cc if r["top"]]),
            "human_low": _dims([(r["low"], r["post"]) for r in cc if r["low"]]),
        },
        "ttft_s_median": {"community": _median([g["ttft_s"] for g in community]),
                          "counselchat": _median([r["gm"]["ttft_s"] for r in cc])},
        "draft_s_median": {"community": _median([g["total_s"] for g in community]),
                           "counselchat": _median([r["gm"]["total_s"] for r in cc])},
    }
    fig["im"] = _im_figures([r for r in rows if "im" in r])
    return fig


def _im_figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"n": 0}
    idf = idf_from(t for r in rows for t in (r["low"], r["im"]["text"]) if t)
    sims = [content_similarity(r["low"], r["im"]["text"], idf) for r in rows]
    kept = [kept_words(r["low"], r["im"]["text"]) for r in rows]
    by_source: dict[str, Any] = {}
    for source in ("counselchat", "community"):
        part = [r for r in rows if r["source"] == source and r["im"]["scores"]]
        if not part:
            continue
        before = {d: _mean([analyze(r["low"], r["post"])[d]["score"] for r in part]) for d in DIMENSIONS}
        after = {d: _mean([r["im"]["scores"][d] for r in part]) for d in DIMENSIONS}
        by_source[source] = {
            "n": len(part),
            "low_voted": before,
            "improved": after,
            "dimensions_improved": sum(1 for d in DIMENSIONS if (after[d] or 0) > (before[d] or 0)),
        }
    im = [r["im"] for r in rows]
    return {
        "n": len(rows),
        "meaning_kept_mean": _mean(sims),
        "meaning_kept_median": _median(sims),
        "kept_words_mean": _mean(kept),
        "clean_first_try": _share(im, lambda g: g["clean"]),
        "asks_question": _share(im, lambda g: g["asks"]),
        "unchanged": _share(rows, lambda r: r["im"]["text"].strip() == r["low"].strip()),
        "by_source": by_source,
        "seconds_median": _median([g["total_s"] for g in im]),
    }


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:4.0f} %"


def _num(x: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if x is None else fmt.format(x)


def print_figures(name: str, figs: dict[str, Any]) -> None:
    variants = list(figs)
    print(f"\n== {name} ==   " + "   ".join(f"{v}" for v in variants))
    rows = [
        ("drafts", lambda f: str(f["drafts"]), ""),
        ("clean on first try", lambda f: _pct(f["clean_first_try"]), ">= 95 %"),
        ("  raw markup", lambda f: _pct(f["raw_markup"]), ""),
        ("  copied post / echo", lambda f: _pct(f["copied_or_echo"]), ""),
        ("  gate finding", lambda f: _pct(f["gate_finding"]), ""),
        ("  empty", lambda f: _pct(f["empty"]), ""),
        ("3-6 sentences", lambda f: _pct(f["sentences_3_to_6"]), ">= 90 %"),
        ("  median sentences", lambda f: _num(f["sentences_median"], "{:.0f}"), ""),
        ("asks a question", lambda f: _pct(f["asks_question"]), ">= 70 %"),
        ("TTFT median, community s", lambda f: _num(f["ttft_s_median"]["community"]), "<= 2 s"),
        ("draft median, community s", lambda f: _num(f["draft_s_median"]["community"]), "<= 12 s"),
        ("draft median, CounselChat s", lambda f: _num(f["draft_s_median"]["counselchat"]), ""),
    ]
    for label, get, goal in rows:
        print(f"  {label:30}" + "".join(f"{get(figs[v]):>12}" for v in variants) + f"   {goal}")
    print("  five dimensions (0-1)           " + "  ".join(DIMENSIONS))
    for v in variants:
        d = figs[v]["dimensions"]
        for group in ("gm_counselchat", "gm_community"):
            print(f"    {v:6} {group:16}" + "".join(f"{_num(d[group][k]):>14}" for k in DIMENSIONS))
    d = figs[max(variants, key=lambda v: figs[v]["drafts"])]["dimensions"]  # humans: on the most posts
    for group in ("human_top", "human_low"):
        print(f"    {'':6} {group:16}" + "".join(f"{_num(d[group][k]):>14}" for k in DIMENSIONS))
    for v in variants:
        im = figs[v]["im"]
        if not im.get("n"):
            continue
        print(f"  IM {v}: n={im['n']} meaning kept {_num(im['meaning_kept_mean'])} (goal >= 0.6), kept words "
              f"{_num(im['kept_words_mean'])}, clean {_pct(im['clean_first_try'])}, asks {_pct(im['asks_question'])}, "
              f"unchanged {_pct(im['unchanged'])}, median {_num(im['seconds_median'])} s")
        for source, s in im["by_source"].items():
            print(f"    {source:12} n={s['n']:3} dimensions improved {s['dimensions_improved']}/5 (goal >= 3)   "
                  + "  ".join(f"{k[:5]} {_num(s['low_voted'][k])}->{_num(s['improved'][k])}" for k in DIMENSIONS))


def write_examples(name: str, records: Sequence[dict[str, Any]]) -> None:
    """Five example drafts (and their improvements) per model, for people to read."""
    lines = [f"# Example drafts: {name}", "",
             "From `bench/draft_quality.py`, first try (no regeneration), same seed for both variants.", ""]
    for item_id in EXAMPLE_IDS:
        rows = [r for r in records if r["id"] == item_id]
        if not rows:
            continue
        lines += [f"## {item_id}", "", "> " + rows[0]["post"].replace("\n", "\n> "), ""]
        for r in sorted(rows, key=lambda r: r["variant"], reverse=True):
            g = r["gm"]
            lines += [f"**GM, {r['variant']}** ({g['sentences']} sentences, clean: {g['clean']}, gate: {', '.join(g['gate']) or 'none'})", "",
                      g["text"] or "(empty)", ""]
            if "im" in r:
                lines += [f"**IM, {r['variant']}**, on the reply *{r['low']}*", "", r["im"]["text"] or "(empty)", ""]
    path = ROOT / "bench" / "results" / f"draft_examples_{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def recompose(records: list[dict[str, Any]], family: str | None) -> list[dict[str, Any]]:
    """The last run's IM answers put in place again by the current `editing` code.

    Valid only while the plan (what the model was asked) is unchanged: this
    re-measures changes to how the answer is applied, not to the prompt.
    """
    settings = load_settings(use_file=False)
    safety = Safety(settings.safety, settings.privacy)
    prompts = DEFAULT_MODELS_DIR / "prompts"
    templates = {"before": load_prompt(prompts, ModelRole.IM), "after": load_prompt(prompts, ModelRole.IM, family)}
    out = []
    for r in records:
        if "im" in r:
            item = Item(r["id"], r["source"], r["post"], r["top"], r["low"])
            template = templates[r["variant"]]
            call = improve_call(template, item.post, item.low or "", safety.check)
            text = shown(r["im"]["raw"], call.compose)
            judged = judge(text, r["im"]["raw"], item, template, safety, allowed=(item.low or "",))
            r = {**r, "im": {**r["im"], **judged}}
        out.append(r)
    return out


def _alternate(a: list[Item], b: list[Item]) -> list[Item]:
    """Both sources early in the run (a partial run still has some of each)."""
    out = [x for pair in zip(a, b, strict=False) for x in pair]
    return out + a[len(b):] + b[len(a):]


def resolve(name: str, overrides: dict[str, Path]) -> tuple[Path, str | None]:
    registry = load_registry(DEFAULT_MODELS_DIR / "registry.toml")
    spec = registry.resolve(name, need_file=name not in overrides)
    path = overrides.get(name) or spec.path
    if path is None or not Path(path).is_file():
        sys.exit(f"{name}: no GGUF file (install it with `llumi models install {name}` or pass --gguf {name}=PATH)")
    return Path(path), getattr(spec, "family", None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS))
    ap.add_argument("--variants", default="before,after")
    ap.add_argument("--limit", type=int, default=50, help="CounselChat questions (default 50)")
    ap.add_argument("--community", type=int, default=32, help="community posts (default all 32)")
    ap.add_argument("--im-limit", type=int, default=1000, help="IM improvements per source at most")
    ap.add_argument("--gguf", action="append", default=[], help="NAME=PATH: use this file for a model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--before-every", type=int, default=1, help="run `before` on every K-th post only")
    ap.add_argument("--resume", action="store_true", help="keep the last run's drafts; make only the missing ones")
    ap.add_argument("--summarise", action="store_true", help="print figures from the last run's drafts")
    ap.add_argument("--recompose", action="store_true", help="with --summarise: apply the IM answers again")
    args = ap.parse_args()
    overrides = {k: Path(v) for k, v in (g.split("=", 1) for g in args.gguf)}
    names = [n for n in args.models.split(",") if n]
    results: dict[str, Any] = {}
    for name in names:
        if args.summarise:
            records = [json.loads(x) for x in (CACHE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            if args.recompose:
                registry = load_registry(DEFAULT_MODELS_DIR / "registry.toml")
                records = recompose(records, registry.resolve(name, need_file=False).family)
        else:
            path, family = resolve(name, overrides)
            items = _alternate(community_items(args.community), counselchat_items(args.limit))
            with_low = [i for i in items if i.low]
            im_items = [i for i in with_low if i.source == "community"][: args.im_limit] + [
                i for i in with_low if i.source == "counselchat"][: args.im_limit]
            with quiet_native():
                records = run_model(
                    name, path, family, items, im_items, args.variants.split(","), args.threads,
                    args.before_every, args.resume,
                )
        figs = summarise(records)
        print_figures(name, figs)
        write_examples(name, records)
        results[name] = figs
    write_result("draft_quality", {"args": vars(args), "models": results})


if __name__ == "__main__":
    main()
