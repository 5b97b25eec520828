"""Extract the Suicide Risk Lexicon from the `construct-tracker` wheel into llumi_core/safety/data/srl.json.

    pip download --no-deps construct-tracker==1.0.16 -d /tmp/ct
    python scripts/build_lexicon.py /tmp/ct/construct_tracker-1.0.16-py3-none-any.whl

The package (Apache-2.0) is not a dependency: it pins old numpy/pandas and pulls in
spaCy, litellm and sentence-transformers. Only the lexicon's phrases, definitions and
clinician-rated prototypical phrases are kept, with the attribution the licence asks for.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "llumi_core" / "safety" / "data" / "srl.json"
BASE = "construct_tracker/data/lexicons/suicide_risk_lexicon_v1-0/"
FULL = BASE + "suicide_risk_lexicon_validated_24-08-02T21-27-35.json"
PROTO = BASE + "suicide_risk_lexicon_validated_prototypical_tokens_24-08-07T16-25-19.json"


def surface(entry: dict) -> list[str]:
    """The written phrases: `tokens` holds them, then the same phrases lemmatised, in the same order."""
    tokens = list(entry["tokens"])
    half = len(tokens) // 2
    if len(tokens) % 2 == 0 and all(_same_words(a, b) for a, b in zip(tokens[:half], tokens[half:], strict=True)):
        tokens = tokens[:half]
    seen: dict[str, None] = {}
    for t in tokens:
        seen.setdefault(t.strip(), None)
    return [t for t in seen if t]


def _same_words(phrase: str, lemma: str) -> bool:
    """A lemmatised copy has as many words (or a split hyphen) as its phrase."""
    return abs(len(phrase.split()) - len(lemma.replace("-", " - ").split())) <= 2


def main(wheel: str) -> None:
    digest = hashlib.sha256(Path(wheel).read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel) as zf:
        full = json.loads(zf.read(FULL))
        proto = json.loads(zf.read(PROTO))
    constructs = {
        name: {
            "definition": str(entry.get("definition", "")).strip(),
            "examples": [e.strip() for e in str(entry.get("examples", "")).split(";") if e.strip()],
            "phrases": surface(entry),
            "prototypical": surface(proto[name]) if name in proto else [],
        }
        for name, entry in full.items()
    }
    data = {
        "name": "Suicide Risk Lexicon v1.0 (validated)",
        "licence": "Apache-2.0",
        "source": f"PyPI construct-tracker 1.0.16 ({Path(wheel).name}, sha256 {digest}), file {FULL}",
        "citation": (
            "Low DM, Rankin O, Coppersmith DDL, Bentley KH, Nock MK, Ghosh SS (2024). Using Generative AI "
            "to create lexicons for interpretable text models with high content validity. PsyArXiv."
        ),
        "constructs": constructs,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(constructs)} constructs, "
          f"{sum(len(c['phrases']) for c in constructs.values())} phrases")


if __name__ == "__main__":
    main(sys.argv[1])
