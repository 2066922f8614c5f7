"""What a benchmark hands back: its figures and its targets, printable and writable as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Check:
    """One target: the measured value, the target it is held to, and whether it is met."""

    label: str
    value: str
    target: str
    met: bool


@dataclass
class Section:
    """The outcome of one benchmark: a table of figures, the targets and free-form notes."""

    title: str
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The section as aligned console text."""
        lines = [f"== {self.title} =="]
        if self.rows:
            table = [self.header, *self.rows] if self.header else self.rows
            widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
            for row in table:
                lines.append(
                    "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                )
        for check in self.checks:
            verdict = "MET" if check.met else "MISSED"
            lines.append(f"[{verdict}] {check.label}: {check.value} (target {check.target})")
        lines.extend(self.notes)
        return "\n".join(lines)

    def markdown(self) -> str:
        """The section as Markdown: a table of figures, then the targets."""
        parts = [f"## {self.title}", ""]
        if self.rows:
            header = self.header or tuple("" for _ in self.rows[0])
            parts.append("| " + " | ".join(header) + " |")
            parts.append("|" + "---|" * len(header))
            parts.extend("| " + " | ".join(row) + " |" for row in self.rows)
            parts.append("")
        if self.checks:
            parts.append("| target | measured | goal | |")
            parts.append("|---|---|---|---|")
            parts.extend(
                f"| {c.label} | {c.value} | {c.target} | {'met' if c.met else '**missed**'} |"
                for c in self.checks
            )
            parts.append("")
        parts.extend(f"{note}  " for note in self.notes)
        return "\n".join(parts).rstrip() + "\n"
