"""The held-out split: deterministic, honours a dataset's own column, written into every pair."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from llumi_core.config import DEFAULT_MODELS_DIR
from llumi_core.feedback.forums import read_counselchat
from llumi_core.feedback.pairs import PairBuilder, PreferencePair, Reply, Thread
from llumi_core.feedback.split import assign_split, hashed_split, named_split, row_split, rows_of

from .test_pairs import COUNSELCHAT, GOOD, POOR, write_counselchat

PROMPTS = DEFAULT_MODELS_DIR / "prompts"


def test_hash_split_is_stable_and_roughly_80_10_10() -> None:
    ids = [f"q{i}" for i in range(5000)]
    first = [hashed_split(i) for i in ids]
    assert first == [hashed_split(i) for i in ids], "the same id always lands in the same split"
    share = Counter(first)
    assert 0.77 < share["train"] / 5000 < 0.83
    assert 0.08 < share["test"] / 5000 < 0.12 and 0.08 < share["validation"] / 5000 < 0.12


def test_a_dataset_label_wins_over_the_hash() -> None:
    assert named_split("val") == "validation" and named_split(" Test ") == "test"
    assert named_split("") is None and named_split("other") is None
    some_train_id = next(f"q{i}" for i in range(100) if hashed_split(f"q{i}") == "train")
    assert assign_split(some_train_id, "test") == "test"
    assert assign_split(some_train_id, None) == "train"
    assert assign_split(some_train_id, "???") == "train", "an unknown label falls back to the hash"


def test_every_pair_carries_its_posts_split(tmp_path: Path) -> None:
    path = write_counselchat(tmp_path / "cc.csv")  # every row says split=train
    builder = PairBuilder("counselchat", PROMPTS)
    pairs = [p.to_json() for p in builder.build(read_counselchat(path))]
    assert pairs and all(p["split"] == "train" for p in pairs)
    assert "posts per split: train 2, validation 0, test 0" in "\n".join(builder.summary.lines())


def _thread(post_id: str, label: str | None = None) -> Thread:
    post = f"I can't sleep and I feel alone at night ({post_id})."  # distinct: equal pairs are merged
    return Thread(post_id, post, (Reply(GOOD, 5), Reply(POOR, 0)), (), label)


def test_threads_without_a_label_split_by_post_id() -> None:
    builder = PairBuilder("reddit", PROMPTS)
    threads = [_thread(f"p{i}") for i in range(60)]
    pairs: list[PreferencePair] = list(builder.build(threads))
    for p in pairs:
        assert p.extra["split"] == hashed_split(p.post_id)
    assert {p.extra["split"] for p in pairs} == {"train", "validation", "test"}


def test_training_selection_never_includes_test_rows() -> None:
    rows: list[dict[str, object]] = [
        {"post_id": "a", "split": "train"},
        {"post_id": "b", "split": "test"},
        {"post_id": "c", "split": "validation"},
        *({"post_id": f"old{i}"} for i in range(200)),  # files from before splits: by hash
    ]
    train = rows_of(rows, ("train",))
    assert all(row_split(r) == "train" for r in train)
    assert "b" not in {r["post_id"] for r in train}
    old_test = {f"old{i}" for i in range(200) if hashed_split(f"old{i}") == "test"}
    assert old_test and not old_test & {r["post_id"] for r in train}
    assert {r["post_id"] for r in rows_of(rows, ("test",))} == {"b", *old_test}


def test_counselchat_split_column_is_honoured() -> None:
    if not COUNSELCHAT.is_file():
        import pytest

        pytest.skip(f"public CounselChat data not found at {COUNSELCHAT}")
    labels = {t.post_id: t.split_label for t in read_counselchat(COUNSELCHAT)}
    assert Counter(assign_split(q, s) for q, s in labels.items()) == Counter(
        {"train": 570, "validation": 59, "test": 33}
    )


def test_eval_reads_only_the_test_split(tmp_path: Path) -> None:
    import json

    import pytest

    from llumi_core.errors import InputError
    from llumi_core.evaluation.evalrun import load_items

    posts = tmp_path / "posts.jsonl"
    rows = [
        {"id": f"x{i}", "post": f"post {i}", "answers": [{"text": "a reply", "score": 1}]} for i in range(100)
    ]
    rows.append({"id": "mine", "post": "labelled", "split": "test", "answers": []})
    posts.write_text("\n".join(json.dumps(r) for r in rows))
    items = load_items(posts, limit=1000)
    assert "mine" in {i.id for i in items}
    assert {i.id for i in items} - {"mine"} == {
        f"x{i}" for i in range(100) if hashed_split(f"x{i}") == "test"
    }
    assert all(i.split == "test" for i in items)
    train_only = tmp_path / "train.jsonl"
    train_only.write_text(json.dumps({"id": "t", "post": "p", "split": "train", "answers": []}))
    with pytest.raises(InputError, match="none of its 1 posts is in the test split"):
        load_items(train_only, limit=5)


def test_eval_on_counselchat_uses_its_test_questions() -> None:
    import pytest

    from llumi_core.evaluation.evalrun import load_items

    if not COUNSELCHAT.is_file():
        pytest.skip(f"public CounselChat data not found at {COUNSELCHAT}")
    labels = {t.post_id: t.split_label for t in read_counselchat(COUNSELCHAT)}
    items = load_items(COUNSELCHAT, limit=1000)
    assert len(items) == 33 and all(labels[i.id] == "test" for i in items)


def test_training_rows_never_include_test_or_validation_posts(tmp_path: Path) -> None:
    """The trainers' only way in (sft_rows / dpo_rows) drops every held-out row."""
    import json

    from llumi_core.training.data import dpo_rows, sft_rows

    builder = PairBuilder("reddit", PROMPTS)
    pairs = [p.to_json() for p in builder.build(_thread(f"p{i}") for i in range(80))]
    assert {p["split"] for p in pairs} == {"train", "validation", "test"}
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in pairs))
    held_out = {json.dumps(p["prompt"]) for p in pairs if p["split"] != "train"}
    for rows in (sft_rows(path), dpo_rows(path), sft_rows(path, "gm", limit=5)):
        assert rows and not {json.dumps(r["prompt"]) for r in rows} & held_out
    assert len(sft_rows(path)) == sum(p["split"] == "train" for p in pairs)
