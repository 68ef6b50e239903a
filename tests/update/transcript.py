#!/usr/bin/env python3
"""Lifecycle transcripts of dynamic updates, from an event log.

  transcript.py EVENTS.jsonl                 print the transcript
  transcript.py --check GOLDEN EVENTS.jsonl  compare with a golden transcript
                                             (exit 1 and a diff on mismatch)
  DUSIM_BLESS=1 transcript.py --check ...    (re)write GOLDEN instead, on purpose

EVENTS.jsonl is what `dusim run-bare --events FILE` or `dusim run --events
FILE` writes (tools/report/event_file.h). As Linux's livepatch selftests
compare the kernel log with a golden one, a transcript lists, per update (its
update_seq) and per object, the lifecycle events in the order they happened,
and nothing that moves with timing, so it survives a change of quantum, seed
or code layout while a phase skipped, reordered or added changes it:

  update 1                       one block per update_seq, in order of appearance
    update                       events of no object, and phases of object 0
      MODULE_RECEIVED
      LOAD                       a phase: PHASE_BEGIN..PHASE_END; what happened
      MODULE_LOADED              inside it (on its subject) is indented below
      INIT
        UPDATE_APPLIED factories_swapped=0
    object                       the objects of the update: `factory` (the object
      swap                       of its VERSION phase), `instance` (the others of
        INTERPOSE                an update with a factory) or `object`
        ...

  - An event without an object belongs to the innermost phase open on its
    CPU (VERSION_CHECK to VERSION, UPDATE_APPLIED to INIT).
  - Only arguments that do not move with timing are shown (ARGS below).
  - A swap is an object's run of phases from INTERPOSE to DESTROY or
    SWAP_ABORTED; consecutive identical items (swaps, phases, events) are
    shown once with xN.
  - Objects of one role with identical transcripts are shown once: how many
    instances a class update meets depends on timing. Distinct transcripts
    of one role are all shown, sorted.
  - Left out, because their number moves with timing: CALL_BLOCKED and
    CALL_RELEASED (the report's blocked_calls counts them), and how many
    QUIESCE_HOLDER reports one wait produced (a run of them is one line).
Lines of GOLDEN starting with '#' are comments.
"""
import difflib
import json
import os
import sys

# The arguments shown, per event; every other argument moves with timing,
# addresses or sizes.
ARGS = {
    "MODULE_REJECTED": ["reason_code"],
    "VERSION_CHECK": ["running_version", "new_version", "accepted"],
    "UPDATE_APPLIED": ["factories_swapped"],
    "UPDATE_ABORTED": ["reason_code"],
    "STATE_TRANSFER": ["format_bit"],
    "FACTORY_SWAP": ["old_version", "new_version"],
    "QUIESCE_HOLDER": ["inside"],
    "SWAP_ABORTED": ["reason_code"],
    "OBJ_CLASS_ADDED": ["version"],
    "UPDATE_REVERT": ["reverted_seq"],
    "UPDATE_COMMITTED": ["committed_seq"],
    "MODULE_UNLOADED": ["module_seq"],
}
# Events of an update that carry no update_seq: they belong to the update
# whose phase is open on their CPU.
UNNUMBERED = {"OBJ_CLASS_ADDED"}
LEFT_OUT = {"CALL_BLOCKED", "CALL_RELEASED"}
FACTORY_PHASES = {"VERSION", "FACTORY_SWAP", "INSTANCE_SWAPS"}
COLLAPSED = {"QUIESCE_HOLDER"}


def read_events(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class Item:
    """A phase (with children) or an event."""

    def __init__(self, name, phase=False):
        self.name, self.phase, self.children, self.ended = name, phase, [], not phase

    def lines(self, indent):
        pad = "  " * indent
        if not self.phase:
            return [pad + self.name]
        head = self.name if self.ended else self.name + " (not ended)"
        return [pad + head] + render(self.children, indent + 1)


HEX = {"format_bit"}


def describe(e):
    args = e["args"]
    shown = " ".join(("%s=%#x" if k in HEX else "%s=%d") % (k, args[k]) for k in ARGS.get(e["event"], []) if k in args)
    return e["event"] + (" " + shown if shown else "")


def subjects_of(events):
    """{seq: {subject: [event]}} in log order; subject 0 is the update itself."""
    updates = {}
    open_phases = {}  # cpu -> stack of (seq, object)
    for e in events:
        name, args, cpu = e["event"], e["args"], e["cpu"]
        stack = open_phases.setdefault(cpu, [])
        if "update_seq" in args:
            seq = args["update_seq"]
        elif name in UNNUMBERED and stack:
            seq = stack[-1][0]
        else:
            continue
        if name in LEFT_OUT:
            continue
        if name == "PHASE_BEGIN":
            stack.append((seq, args["object"]))
        if "object" in args:
            subject = args["object"]
        else:
            subject = next((o for s, o in reversed(stack) if s == seq), 0)
        if name == "PHASE_END" and stack and stack[-1] == (seq, args["object"]):
            stack.pop()
        updates.setdefault(seq, {}).setdefault(subject, []).append(e)
    return updates


def tree(events):
    """The items of one subject: phases nest what happened while they were open."""
    top, stack = [], []
    for e in events:
        where = stack[-1].children if stack else top
        if e["event"] == "PHASE_BEGIN":
            item = Item(e["args"]["phase"], phase=True)
            where.append(item)
            stack.append(item)
        elif e["event"] == "PHASE_END":
            if stack and stack[-1].name == e["args"]["phase"]:
                stack.pop().ended = True
            else:
                where.append(Item(e["args"]["phase"] + " (end without begin)"))
        else:
            where.append(Item(describe(e)))
    return top


def group_swaps(items):
    """Runs INTERPOSE .. DESTROY / SWAP_ABORTED become one `swap` item."""
    out, swap = [], None
    for it in items:
        it.children = group_swaps(it.children)
        if it.phase and it.name == "INTERPOSE":
            swap = Item("swap", phase=True)
            swap.ended = True
            out.append(swap)
        if swap is not None:
            swap.children.append(it)
            if it.name == "DESTROY" or it.name.startswith("SWAP_ABORTED"):
                swap = None
        else:
            out.append(it)
    return out


def render(items, indent):
    lines, prev, count = [], None, 0

    def flush():
        if prev is None:
            return
        block = prev.lines(indent)
        if count > 1 and not any(prev.name.startswith(c) for c in COLLAPSED):
            block[0] += " x%d" % count
        lines.extend(block)

    for it in items:
        if prev is not None and it.lines(0) == prev.lines(0):
            count += 1
            continue
        flush()
        prev, count = it, 1
    flush()
    return lines


def transcript(events):
    out = []
    for seq, subjects in subjects_of(events).items():
        out.append("update %d" % seq)
        if 0 in subjects:
            out.append("  update")
            out += render(group_swaps(tree(subjects[0])), 2)
        factories = {o for o, evs in subjects.items() if o and any(
            e["event"] == "PHASE_BEGIN" and e["args"]["phase"] in FACTORY_PHASES for e in evs)}
        other = "instance" if factories else "object"
        blocks = {}
        for o, evs in subjects.items():
            if o == 0:
                continue
            role = "factory" if o in factories else other
            blocks.setdefault(role, set()).add(tuple(render(group_swaps(tree(evs)), 2)))
        for role in ("factory", "instance", "object"):
            for block in sorted(blocks.get(role, ())):
                out.append("  " + role)
                out += block
    return out


def check(golden, events_path):
    got = transcript(read_events(events_path))
    if os.environ.get("DUSIM_BLESS"):
        with open(golden, "w") as f:
            f.write("# Golden lifecycle transcript (tests/update/transcript.py explains the format).\n")
            f.write("# Regenerate on purpose: DUSIM_BLESS=1 ctest --test-dir build -R <the test>\n")
            f.write("\n".join(got) + "\n")
        print("transcript: wrote %s (DUSIM_BLESS)" % golden)
        return 0
    try:
        with open(golden) as f:
            want = [l.rstrip("\n") for l in f if not l.startswith("#")]
    except FileNotFoundError:
        print("FAIL: no golden transcript %s; this run's:\n%s" % (golden, "\n".join(got)))
        return 1
    if not got:
        print("FAIL: the event log has no update lifecycle events")
        return 1
    if got != want:
        print("FAIL: the lifecycle transcript differs from %s:" % golden)
        sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(want, got, "golden", "this run", lineterm=""))
        return 1
    print("ok: lifecycle transcript matches %s (%d lines)" % (os.path.basename(golden), len(got)))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--check":
        return check(argv[2], argv[3])
    if len(argv) == 2:
        print("\n".join(transcript(read_events(argv[1]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
