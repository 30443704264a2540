#!/usr/bin/env python3
"""Regenerate docs/rules.md from the rule metadata: `trailguard rules --format json | scripts/gen-rules-doc.py > docs/rules.md`.

The SARIF `helpUri` of each rule points at its anchor here (the lower-case rule id);
tests/rules_doc.rs fails when a rule is missing or its title changed.
"""
import json
import sys

rules = json.load(sys.stdin)
out = ["# Rules", "",
       "Generated from each rule's `# METADATA` block (`trailguard rules --format json | "
       "scripts/gen-rules-doc.py > docs/rules.md`); `trailguard explain ID` shows the same with "
       "good and bad examples.", "",
       "| id | name | severity | kind |", "|---|---|---|---|"]
for r in rules:
    out.append(f"| [{r['id']}](#{r['id'].lower()}) | {r['name']} | {r['severity']} | {r['kind']} |")
for r in rules:
    out += ["", f'<a id="{r["id"].lower()}"></a>', "", f"## {r['id']} {r['name']}", "",
            f"**{r['title']}** — severity {r['severity']}, {r['kind']} rule"
            + (f", applies to {', '.join(r['applies_to'])}" if r.get('applies_to') else "") + ".", "",
            r['description'].strip(), ""]
    if r.get('remediation'):
        out.append("Remediation:")
        out.append("")
        for fmt, text in sorted(r['remediation'].items()):
            out.append(f"- {fmt}: {' '.join(text.split())}")
        out.append("")
    if r.get('compliance'):
        out.append("Controls: " + "; ".join(f"{fw} {', '.join(ids)}" for fw, ids in sorted(r['compliance'].items())) + ".")
        out.append("")
    if r.get('related_resources'):
        out.append("See also: " + ", ".join(r['related_resources']))
        out.append("")
print("\n".join(out).rstrip() + "\n", end="")
