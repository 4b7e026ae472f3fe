"""The rule book: every rule pack, loaded and validated together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from jurisdictions.errors import (
    JurisdictionNotFoundError,
    NotATargetError,
    RuleNotFoundError,
    RulePackError,
)
from jurisdictions.loader import RULES_DIR, check_acknowledgements, load_pack
from jurisdictions.model import Jurisdiction, PeriodUnit, Rule


class RuleBook:
    """All jurisdictions and their rules, looked up by code and by rule id."""

    __slots__ = ("_by_folded_id", "_jurisdictions", "_rules")

    def __init__(self, jurisdictions: Iterable[Jurisdiction]) -> None:
        """Index `jurisdictions`; codes and rule ids must be unique (checked by the loader)."""
        self._jurisdictions = {j.code: j for j in sorted(jurisdictions, key=lambda j: j.code)}
        self._rules = {rule.id: rule for j in self._jurisdictions.values() for rule in j.rules}
        # An id is a code in capitals and a slug in small letters: no two differ by case alone.
        self._by_folded_id = {rule_id.casefold(): rule for rule_id, rule in self._rules.items()}

    def __len__(self) -> int:
        return len(self._rules)

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id `rule_id` (`<JURISDICTION>/<slug>`, in any letter case).

        The rule's own `id` is the canonical spelling (`DE/netzdg.complaint` for
        `de/NetzDG.complaint`).

        Raises:
            RuleNotFoundError: if there is none.
        """
        try:
            return self._rules[rule_id]
        except KeyError:
            pass
        try:
            return self._by_folded_id[rule_id.strip().casefold()]
        except KeyError:
            raise RuleNotFoundError(rule_id) from None

    def rules(self) -> list[Rule]:
        """Return every rule, ordered by id."""
        return [self._rules[rule_id] for rule_id in sorted(self._rules)]

    def jurisdictions(self) -> list[Jurisdiction]:
        """Return every jurisdiction, ordered by code."""
        return list(self._jurisdictions.values())

    def with_targets(self, targets: Mapping[str, tuple[int, PeriodUnit]]) -> RuleBook:
        """Return a rule book whose organisation targets are `targets` (rule id → length).

        Only a period the pack marks as a `target` may be set: a period the law sets is the
        law's. Every version of the rule gets the same target.

        Raises:
            RuleNotFoundError: if a rule id is unknown.
            NotATargetError: if the rule's period is set by law.
        """
        changed: dict[str, Rule] = {}
        for rule_id, (amount, unit) in targets.items():
            rule = self.rule(rule_id)
            if not rule.period.target:
                raise NotATargetError(rule.id)
            changed[rule.id] = _targeted(rule, amount, unit)
        return RuleBook(
            replace(j, rules=tuple(changed.get(r.id, r) for r in j.rules))
            for j in self._jurisdictions.values()
        )

    def jurisdiction(self, code: str) -> Jurisdiction:
        """Return the jurisdiction with ISO code `code` (e.g. `DE`, `US-CA`).

        Raises:
            JurisdictionNotFoundError: if there is none.
        """
        try:
            return self._jurisdictions[code]
        except KeyError:
            raise JurisdictionNotFoundError(code) from None


def _targeted(rule: Rule, amount: int, unit: PeriodUnit) -> Rule:
    period = replace(rule.period, amount=amount, unit=unit)
    versions = tuple(_targeted(v, amount, unit) for v in rule.versions if v.period.target)
    return replace(rule, period=period, versions=versions)


def load_rulebook(path: Path | None = None) -> RuleBook:
    """Load and validate every rule pack under `path` (a folder of `*.toml`, or one file).

    `path` defaults to the packs shipped in `jurisdictions/rules/`. Nothing is cached: each call
    reads the files again.

    Raises:
        RulePackError: naming the file and field of the first problem found, including an
            `acknowledgement` naming no rule (it may name a rule of another pack).
    """
    root = RULES_DIR if path is None else path
    files = sorted(root.glob("*.toml")) if root.is_dir() else [root]
    if not files:
        raise RulePackError(root, "<folder>", "contains no *.toml rule packs")
    packs: dict[str, Jurisdiction] = {}
    files_of: dict[str, Path] = {}
    seen: dict[str, Path] = {}
    for file in files:
        pack = load_pack(file)
        if pack.code in packs:
            raise RulePackError(file, "jurisdiction.code", f"{pack.code!r} is already defined")
        for rule in pack.rules:
            if rule.id in seen:
                raise RulePackError(file, "rule.slug", f"duplicate rule id {rule.id!r}")
            seen[rule.id] = file
        packs[pack.code] = pack
        files_of[pack.code] = file
    rules = {rule.id: rule for pack in packs.values() for rule in pack.rules}
    for code, pack in packs.items():
        check_acknowledgements(files_of[code], pack, rules)
    return RuleBook(packs.values())
